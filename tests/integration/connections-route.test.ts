import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/connections/route";
import { POST as webhook } from "@/app/api/webhooks/morph/route";
import { loadConnectionAlarms } from "@/lib/connections/load-connections";
import { deliver } from "../helpers/deliver";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent, fixture, webhookRequest } from "../helpers/morph";

const DAY = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

type Row = {
  connectorId: string;
  connectionOwnerId: string;
  engagements: number;
  deletedEngagements: number;
  records: number;
  deliveries: number;
  outcomes: Record<string, number>;
  lastReceivedAt: string | null;
  lastAppliedAt: string | null;
  perDay: { day: string; count: number }[];
  silent: boolean;
  retired: boolean;
};

async function connections(): Promise<Row[]> {
  const response = await GET();
  expect(response.status).toBe(200);
  return (await response.json()).data;
}

const find = (rows: Row[], connection: string) =>
  rows.find((r) => `${r.connectorId}:${r.connectionOwnerId}` === connection);

const post = (body: unknown, owner: string, key = randomUUID(), connector = "hubspot") =>
  webhook(webhookRequest(body, { connector, owner, key }));

describe.each(testEngines())("GET /api/connections on %s", (engine) => {
  let temp: EngineStore;
  let sentFrom = 0;
  let sentTo = 0;
  let appliedAt = 0;
  const now = Date.now();

  beforeAll(async () => {
    temp = await setUpAppStore(engine, {
      WEBHOOK_ALLOW_UNSIGNED: "1",
      CONNECTION_SILENCE_HOURS: undefined,
    });
    // hubspot:live-co, through the webhook now: every outcome once or more.
    sentFrom = Date.now();
    const key = randomUUID();
    const first = engagementEvent("c-1", "2025-03-06T10:00:00Z");
    expect((await post(first, "live-co", key)).headers.get("x-delivery-outcome")).toBe("applied");
    expect((await post(first, "live-co", key)).headers.get("x-delivery-outcome")).toBe("duplicate");
    const changed = engagementEvent("c-1", "2025-03-07T10:00:00Z", { fields: { title: "New" } });
    expect((await post(changed, "live-co", key)).status).toBe(409);
    expect((await post(engagementEvent("c-1", "2025-03-01T10:00:00Z"), "live-co")).status).toBe(
      200,
    );
    expect((await post({ event: "crmEngagement::exploded", data: {} }, "live-co")).status).toBe(
      422,
    );
    await post(engagementEvent("c-2", "2025-03-06T10:00:00Z"), "live-co");
    const deleted = await post(
      engagementEvent("c-2", "2025-03-08T10:00:00Z", { action: "deleted" }),
      "live-co",
    );
    expect(deleted.headers.get("x-delivery-outcome")).toBe("applied");
    await post(engagementEvent("c-3", "2025-03-06T10:00:00Z"), "live-co");
    appliedAt = Date.now();
    const unchanged = await post(engagementEvent("c-3", "2025-03-06T10:00:00Z"), "live-co");
    expect(unchanged.headers.get("x-delivery-outcome")).toBe("unchanged");
    await post(fixture("contact-created"), "live-co");
    sentTo = Date.now();

    // Older deliveries, through ingest() with their time of arrival given.
    await deliver(temp.store, engagementEvent("q-1", "2025-03-06T10:00:00Z"), {
      connector: "aircall",
      owner: "quiet-co",
      receivedAt: now - 3 * DAY,
    });
    await deliver(temp.store, engagementEvent("g-1", "2025-03-06T10:00:00Z"), {
      connector: "pipedrive",
      owner: "gone-co",
      receivedAt: now - 40 * DAY,
    });
    // zoho:noisy-co: most of its deliveries refused.
    await post(engagementEvent("n-1", "2025-03-06T10:00:00Z"), "noisy-co", undefined, "zoho");
    for (let i = 0; i < 2; i++) {
      await post("{not json", "noisy-co", undefined, "zoho");
    }
  });
  afterAll(() => temp.cleanup());

  it("counts a connection's engagements, records, deliveries and outcomes", async () => {
    const live = find(await connections(), "hubspot:live-co")!;
    expect(Object.keys(live)).toEqual([
      "connectorId",
      "connectionOwnerId",
      "engagements",
      "deletedEngagements",
      "records",
      "deliveries",
      "outcomes",
      "lastReceivedAt",
      "lastAppliedAt",
      "perDay",
      "silent",
      "retired",
    ]);
    expect(live).toMatchObject({
      engagements: 2,
      deletedEngagements: 1,
      records: 1,
      deliveries: 10,
      outcomes: { applied: 5, unchanged: 1, stale: 1, duplicate: 1, conflict: 1, rejected: 1 },
      silent: false,
      retired: false,
    });
    const last = Date.parse(live.lastReceivedAt!);
    expect(last).toBeGreaterThanOrEqual(sentFrom);
    expect(last).toBeLessThanOrEqual(sentTo);
    // The last applied is the contact, after the unchanged redelivery of c-3.
    expect(Date.parse(live.lastAppliedAt!)).toBeGreaterThanOrEqual(appliedAt);
  });

  it("gives the last 30 UTC days, zero days included, ending today", async () => {
    const rows = await connections();
    for (const row of rows) {
      expect(row.perDay).toHaveLength(30);
      expect(row.perDay.at(-1)!.day).toBe(utcDay(Date.now()));
      expect(row.perDay[0].day).toBe(utcDay(Date.now() - 29 * DAY));
    }
    const live = find(rows, "hubspot:live-co")!;
    // Sent within this test: every delivery on today's bar (or yesterday's, across midnight).
    expect(live.perDay.reduce((n, d) => n + d.count, 0)).toBe(10);
    expect(live.perDay.slice(0, 28).every((d) => d.count === 0)).toBe(true);

    const quiet = find(rows, "aircall:quiet-co")!;
    const quietDay = utcDay(now - 3 * DAY);
    expect(quiet.perDay.filter((d) => d.count > 0)).toEqual([{ day: quietDay, count: 1 }]);
    expect(find(rows, "pipedrive:gone-co")!.perDay.every((d) => d.count === 0)).toBe(true);
  });

  it("flags silence after CONNECTION_SILENCE_HOURS, and retirement after 30 days", async () => {
    let rows = await connections();
    expect(find(rows, "aircall:quiet-co")).toMatchObject({ silent: true, retired: false });
    expect(find(rows, "pipedrive:gone-co")).toMatchObject({ silent: true, retired: true });
    expect(find(rows, "zoho:noisy-co")).toMatchObject({ silent: false, retired: false });

    process.env.CONNECTION_SILENCE_HOURS = "80";
    try {
      rows = await connections();
      expect(find(rows, "aircall:quiet-co")).toMatchObject({ silent: false, retired: false });
      expect(find(rows, "pipedrive:gone-co")).toMatchObject({ silent: true, retired: true });
      process.env.CONNECTION_SILENCE_HOURS = "0";
      rows = await connections();
      expect(rows.every((r) => !r.silent && !r.retired)).toBe(true);
    } finally {
      delete process.env.CONNECTION_SILENCE_HOURS;
    }
  });

  it("raises the banner for a silent connection and for one mostly refused, not a retired one", async () => {
    const alarms = await loadConnectionAlarms(Date.now());
    expect(alarms.map((a) => [`${a.connectorId}:${a.connectionOwnerId}`, a.alarm])).toEqual([
      ["aircall:quiet-co", "silent"],
      ["zoho:noisy-co", "troubled"],
    ]);
    expect(alarms[1].recent).toEqual({ deliveries: 3, troubled: 2 });
    // Two years on, every connection has been silent for over 30 days: no banner at all.
    expect(await loadConnectionAlarms(Date.now() + 730 * DAY)).toEqual([]);
    // One more applied delivery: two of four refused is not more than half.
    await post(engagementEvent("n-2", "2025-03-06T10:00:00Z"), "noisy-co", undefined, "zoho");
    expect((await loadConnectionAlarms(Date.now())).map((a) => a.connectionOwnerId)).toEqual([
      "quiet-co",
    ]);
  });

  it("lists a connection known only from its engagements", async () => {
    await temp.all(
      engine === "postgres"
        ? "insert into engagement_counts (connector_id, connection_owner_id, deleted, slot, n) values (?, ?, false, 0, 7) returning n"
        : "insert into engagement_counts (connector_id, connection_owner_id, deleted, n) values (?, ?, 0, 7) returning n",
      "bulk",
      "seeded-co",
    );
    expect(find(await connections(), "bulk:seeded-co")).toMatchObject({
      engagements: 7,
      deliveries: 0,
      lastReceivedAt: null,
      silent: true,
      retired: true,
    });
  });
});
