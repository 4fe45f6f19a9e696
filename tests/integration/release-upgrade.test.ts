import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIGRATIONS_FOLDER } from "@/db/sqlite/client";
import { createSqliteStore } from "@/db/sqlite/store";
import { ingest } from "@/lib/ingest/ingest";
import {
  activityWindow,
  formatConnection,
  parseDeliveryFilter,
  parseFilter,
  toDeliveryQuery,
  toEngagementQuery,
} from "@/lib/filters";

/**
 * tests/fixtures/databases/release-0.1.db was written by release 0.1 (the fixtures ingested in
 * order, one refused body and one replay), and release-0.1.json holds what that release
 * answered from it. The current code must open it, upgrade it, and answer the same.
 */
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "databases");
const answered = JSON.parse(fs.readFileSync(path.join(FIXTURES, "release-0.1.json"), "utf8"));

let dir: string;
let store: ReturnType<typeof createSqliteStore>;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "release-upgrade-"));
  const file = path.join(dir, "app.db");
  fs.copyFileSync(path.join(FIXTURES, "release-0.1.db"), file);
  store = createSqliteStore({ file, writer: "inline", summaries: "inline" });
});

afterAll(async () => {
  await store.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("a database made by release 0.1", () => {
  it("is upgraded to every migration, each recorded once", () => {
    const journal = JSON.parse(
      fs.readFileSync(path.join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"),
    ) as { entries: unknown[] };
    const applied = store.db.$client
      .prepare("select count(*) as n, count(distinct hash) as distinct_n from __drizzle_migrations")
      .get() as { n: number; distinct_n: number };
    expect(applied).toEqual({ n: journal.entries.length, distinct_n: journal.entries.length });
    expect(store.db.$client.pragma("integrity_check", { simple: true })).toBe("ok");
  });

  it("binds each of its keys to the resource of the delivery that bound it", () => {
    const keys = store.db.$client
      .prepare(
        `select k.model as keyModel, k.resource_id as keyResource, d.model, d.resource_id as resource
         from idempotency_keys k join deliveries d on d.id = k.delivery_id`,
      )
      .all() as { keyModel: string; keyResource: string; model: string; resource: string }[];
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      expect([key.keyModel, key.keyResource]).toEqual([key.model ?? "", key.resource ?? ""]);
    }
    expect(keys.some((key) => key.keyModel === "genericUser")).toBe(true);
  });

  it("knows the companies and contacts of the opportunities it stored", async () => {
    const refs = store.db.$client
      .prepare(
        "select role, ref_id as refId from record_refs where external_id = '4401' order by role",
      )
      .all();
    expect(refs).toEqual([
      { role: "company", refId: "7001" },
      { role: "contact", refId: "9001" },
    ]);
    const acme = { connectorId: "hubspot", connectionOwnerId: "acme-prod" };
    const deals = await store.companyOpportunities("7001", acme);
    expect(deals).toEqual([{ ...acme, id: "4401", name: "Acme — Enterprise renewal" }]);
  });

  it("lists, resolves and summarizes its engagements as that release did", async () => {
    const filter = parseFilter({ deleted: "include" });
    const query = toEngagementQuery(filter);
    const page = await store.listEngagements(query);
    expect(page.data).toEqual(answered.list);
    expect(page.next).toBeNull();
    for (const [i, engagement] of answered.list.entries()) {
      // History is new since: each engagement gets one version from its stored state
      // (tests/integration/history-upgrade.test.ts holds what it says).
      expect(await store.getEngagement(Number(engagement.id))).toEqual({
        ...answered.details[i],
        history: [expect.objectContaining({ deliveryId: null, updatedAt: engagement.updatedAt })],
      });
    }
    const chart = activityWindow(query, null, Date.parse("2025-03-20T00:00:00Z"));
    expect(await store.summarizeEngagements(query, chart)).toEqual(answered.summary);
  });

  it("shows its delivery log and records as that release did", async () => {
    const log = await store.listDeliveries(toDeliveryQuery(parseDeliveryFilter({})));
    expect(log.data).toEqual(answered.deliveries);
    for (const expected of answered.delivery) {
      // No delivery made the versions the upgrade wrote.
      expect(await store.getDelivery(expected.id)).toEqual({ ...expected, version: null });
    }
    const acme = { connectorId: "hubspot", connectionOwnerId: "acme-prod" };
    expect(await store.getRecord("genericContact", acme, "9001")).toEqual(answered.contact);
    const companies = await store.searchRecords("genericCompany", "", null);
    expect(companies.map((c) => ({ ...c, connection: formatConnection(c.connection) }))).toEqual(
      answered.companies,
    );
  });

  it("replays a key that release bound, byte for byte", async () => {
    const body = fs.readFileSync(
      path.join(process.cwd(), "tests", "fixtures", "engagement-call-created.json"),
      "utf8",
    );
    const first = answered.delivery.find(
      (d: { idempotencyKey: string }) => d.idempotencyKey === "release-5",
    );
    const replay = await ingest(store, body, {
      connectorId: "hubspot",
      connectionOwnerId: "acme-prod",
      idempotencyKey: "release-5",
      headers: {},
      receivedAt: Date.now(),
    });
    expect(replay.outcome).toBe("duplicate");
    expect(replay.status).toBe(200);
    expect(replay.body).toBe(first.response);
  });
});
