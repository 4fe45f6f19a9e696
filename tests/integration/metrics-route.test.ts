import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/metrics/route";
import { POST as webhook } from "@/app/api/webhooks/morph/route";
import { proxy } from "@/proxy";
import { deliver } from "../helpers/deliver";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent, webhookRequest } from "../helpers/morph";
import { setUpAppDatabase } from "../helpers/temp-db";

/** Prometheus' text format as `name{label="value",…}` → value, labels in the order written. */
function parseMetrics(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const at = line.lastIndexOf(" ");
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return samples;
}

async function scrape() {
  const response = await GET();
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseMetrics(await response.text());
}

const delivered = (outcome: string, connector: string, owner: string) =>
  `engagement_viewer_deliveries_total{outcome="${outcome}",connector="${connector}",owner="${owner}"}`;
const LATENCY_COUNT = "engagement_viewer_ingest_duration_seconds_count";
const STORAGE_ERRORS = "engagement_viewer_storage_errors_total";

/** How much each sample grew from `before` to `after` (absent counts as 0). */
const grew = (before: Map<string, number>, after: Map<string, number>, name: string) =>
  (after.get(name) ?? 0) - (before.get(name) ?? 0);

describe.each(testEngines())("GET /api/metrics on %s", (engine) => {
  let temp: EngineStore;
  const owner = `metrics-${engine}`;
  beforeAll(async () => {
    temp = await setUpAppStore(engine, { WEBHOOK_ALLOW_UNSIGNED: "1" });
  });
  afterAll(() => temp.cleanup());

  it("counts real deliveries by outcome and connection, and times each answer", async () => {
    const before = await scrape();
    const post = (body: unknown, key = randomUUID(), headers = {}) =>
      webhook(webhookRequest(body, { connector: "hubspot", owner, key, headers }));
    const key = randomUUID();
    const event = engagementEvent("m-1", "2025-03-06T10:00:00Z");
    expect((await post(event, key)).status).toBe(200);
    expect((await post(event, key)).headers.get("x-delivery-outcome")).toBe("duplicate");
    const other = engagementEvent("m-1", "2025-03-07T10:00:00Z", { fields: { title: "B" } });
    expect((await post(other, key)).status).toBe(409);
    expect((await post({ event: "crmEngagement::exploded", data: {} })).status).toBe(422);
    // Refused before it is read (content type): logged as rejected too.
    expect((await post(event, randomUUID(), { "content-type": "text/plain" })).status).toBe(415);
    // Unauthenticated: answered and timed, but not a delivery.
    const unsigned = await webhook(
      webhookRequest(event, { owner, query: "?token=wrong", key: randomUUID() }),
    );
    expect(unsigned.status).toBe(401);

    const after = await scrape();
    expect(grew(before, after, delivered("applied", "hubspot", owner))).toBe(1);
    expect(grew(before, after, delivered("duplicate", "hubspot", owner))).toBe(1);
    expect(grew(before, after, delivered("conflict", "hubspot", owner))).toBe(1);
    expect(grew(before, after, delivered("rejected", "hubspot", owner))).toBe(2);
    expect(grew(before, after, LATENCY_COUNT)).toBe(6);
    const inf = 'engagement_viewer_ingest_duration_seconds_bucket{le="+Inf"}';
    expect(grew(before, after, inf)).toBe(6);
    expect(grew(before, after, STORAGE_ERRORS)).toBe(0);
  });

  it("reports each connection's time since its last delivery, read at scrape", async () => {
    const threeDays = 3 * 86_400;
    await deliver(temp.store, engagementEvent("m-2", "2025-03-06T10:00:00Z"), {
      connector: "aircall",
      owner,
      receivedAt: Date.now() - threeDays * 1000,
    });
    const samples = await scrape();
    const age = (connector: string) =>
      samples.get(
        `engagement_viewer_connection_last_delivery_age_seconds{connector="${connector}",owner="${owner}"}`,
      );
    expect(age("aircall")).toBeGreaterThanOrEqual(threeDays);
    expect(age("aircall")).toBeLessThan(threeDays + 3_600);
    expect(age("hubspot")).toBeGreaterThanOrEqual(0);
    expect(age("hubspot")).toBeLessThan(3_600);
  });
});

describe("storage errors in /api/metrics", () => {
  let temp: ReturnType<typeof setUpAppDatabase>;
  beforeAll(() => {
    temp = setUpAppDatabase({ WEBHOOK_ALLOW_UNSIGNED: "1" });
  });
  afterAll(() => temp.cleanup());

  it("counts a webhook the database could not take (disk full)", async () => {
    const before = await scrape();
    const sqlite = temp.db.$client;
    sqlite.pragma(`max_page_count = ${sqlite.pragma("page_count", { simple: true })}`);
    try {
      // A long description needs fresh pages, so a full disk cannot hide in free ones.
      const event = engagementEvent("full-1", "2025-03-06T10:00:00Z", {
        fields: { description: "x".repeat(200_000) },
      });
      expect((await webhook(webhookRequest(event))).status).toBe(503);
    } finally {
      sqlite.pragma("max_page_count = 1073741823");
    }
    const after = await scrape();
    expect(grew(before, after, STORAGE_ERRORS)).toBe(1);
    expect(grew(before, after, LATENCY_COUNT)).toBe(1);
  });
});

describe("who may read /api/metrics and /api/connections", () => {
  let temp: ReturnType<typeof setUpAppDatabase>;
  beforeAll(() => {
    temp = setUpAppDatabase({ APP_PASSWORD: "metrics-password", APP_ALLOW_PUBLIC: undefined });
  });
  afterAll(() => temp.cleanup());

  it("answers 401 without a session", async () => {
    for (const path of ["/api/metrics", "/api/connections"]) {
      const res = await proxy(new NextRequest(`http://localhost${path}`));
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
  });
});
