/** `npm run db:copy`: a SQLite database filled through the real store, read back on PostgreSQL. */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordModel } from "@/db/models";
import type { Store } from "@/db/store";
import type { DeliveryMeta, DeliveryResult } from "@/db/types";
import { parseFilter } from "@/lib/filters";
import { ingest } from "@/lib/ingest/ingest";
import { copySqliteToPg, CopyError, type CopySummary } from "@/scripts/lib/db-copy/copy";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { deliveryQuery } from "../helpers/ingest-queries";
import { engagementEvent, fixture } from "../helpers/morph";
import { toEngagementQuery } from "../helpers/read-queries";
import { createTempDatabase, type TempDatabase } from "../helpers/temp-db";

const run = promisify(execFile);
const T0 = Date.parse("2025-03-06T10:00:00.000Z");
const HUBSPOT = { connectorId: "hubspot", connectionOwnerId: "acme-prod" };
const SALESFORCE = { connectorId: "salesforce", connectionOwnerId: "globex" };

type Sent = { meta: DeliveryMeta; body: string; result: DeliveryResult | null };

/** Every delivery sent to the SQLite store, to send again on PostgreSQL. */
const sent: Sent[] = [];
let at = T0;

async function send(store: Store, event: unknown, key = `key-${sent.length}`, conn = HUBSPOT) {
  const body = typeof event === "string" ? event : JSON.stringify(event);
  const meta = { ...conn, idempotencyKey: key, headers: { "x-test": key }, receivedAt: at++ };
  const result = await ingest(store, body, meta).catch(() => null);
  sent.push({ meta, body, result });
  return result;
}

/** Records, references, history, a tombstone, a duplicate, a conflict, a refusal, two connections. */
async function fill(store: Store) {
  for (const name of ["user-created", "contact-created", "company-created", "opportunity-created"])
    await send(store, fixture(name));
  for (const name of ["engagement-call-created", "engagement-email-expanded-refs"])
    await send(store, fixture(name));
  await send(store, fixture("engagement-meeting-updated"), "meeting", SALESFORCE);
  await send(store, engagementEvent("hist-1", "2025-03-06T10:00:00Z"));
  await send(store, engagementEvent("hist-1", "2025-03-07T10:00:00Z", { fields: { title: "v2" } }));
  await send(store, engagementEvent("hist-1", "2025-03-05T10:00:00Z")); // stale
  await send(store, engagementEvent("gone-1", "2025-03-06T10:00:00Z"));
  await send(store, engagementEvent("gone-1", "2025-03-08T10:00:00Z", { action: "deleted" }));
  const bound = JSON.stringify(engagementEvent("dup-1", "2025-03-06T10:00:00Z"));
  await send(store, bound, "bound");
  await send(store, bound, "bound"); // duplicate
  await send(store, engagementEvent("dup-1", "2025-03-09T10:00:00Z"), "bound"); // conflict
  await send(store, '{"event":"crmEngagement::created"}'); // refused
  await send(store, engagementEvent("hist-1", "2025-03-06T10:00:00Z"), "same-id", SALESFORCE);
  // U+0000, which PostgreSQL's text and jsonb cannot hold: stored as U+FFFD, as its ingest does.
  await send(
    store,
    engagementEvent("nul-1", "2025-03-06T10:00:00Z", { fields: { title: "a\0b" } }),
  );
  await store.keepSetting("webhook-secret", "whsec_copied");
}

/** What PostgreSQL keeps of a value SQLite holds: U+0000 as U+FFFD (db/pg/ingest/pg-values.ts). */
const asPgKeeps = <T>(value: T): T =>
  JSON.parse(JSON.stringify(value).replace(/(?<!\\)((?:\\\\)*)\\u0000/g, "$1\\ufffd"));

/** `npm run db:copy -- --from … --to …`, as a process of its own. */
const copyByCli = (from: string, to: string) =>
  run(process.execPath, ["--import", "tsx", "scripts/db-copy.ts", "--from", from, "--to", to]);

const withoutPostgres = !testEngines().includes("postgres");

describe.skipIf(withoutPostgres)("db:copy from SQLite to PostgreSQL", () => {
  let source: TempDatabase;
  let target: EngineStore;
  let summary: CopySummary;
  const sqlite = (text: string) => source.db.$client.prepare(text).all();

  beforeAll(async () => {
    source = createTempDatabase();
    await fill(source.store);
    target = await openEngineStore("postgres");
    // Two rows a batch: every table, the composite-keyed references too, spans many batches.
    summary = await copySqliteToPg({ from: source.file, to: target.location, batch: { rows: 2 } });
  });
  afterAll(async () => {
    await target?.cleanup();
    await source?.cleanup();
  });

  it("copies every row of every table, and says how many", async () => {
    for (const table of [
      "engagements",
      "engagement_refs",
      "records",
      "deliveries",
      "idempotency_keys",
    ]) {
      const [{ n }] = sqlite(`select count(*) as n from ${table}`) as { n: number }[];
      expect(n, table).toBeGreaterThan(0);
      expect(await target.one(`select count(*)::int as n from ${table}`), table).toEqual({ n });
      expect(summary.tables.find((t) => t.table === table)?.rows, table).toBe(n);
    }
  });

  it("keeps ids and what points at them; references carry their engagement's connection", async () => {
    const engagements =
      "select id, connector_id, connection_owner_id, external_id from engagements order by id";
    expect(await target.all(engagements)).toEqual(sqlite(engagements));
    const refs = `select e.connector_id, e.connection_owner_id, r.engagement_id, r.role, r.ref_id, r.position
      from engagement_refs r join engagements e on e.id = r.engagement_id
      order by r.engagement_id, r.role, r.ref_id`;
    const pgRefs = `select connector_id, connection_owner_id, engagement_id, role, ref_id, position
      from engagement_refs order by engagement_id, role, ref_id`;
    expect(await target.all(pgRefs)).toEqual(sqlite(refs));
    const deliveries = `select id, engagement_id, original_delivery_id, outcome, http_status, body,
      response_body, repeat_count, last_repeat_at from deliveries order by id`;
    expect(await target.all(deliveries)).toEqual(sqlite(deliveries));
    const keys =
      "select connector_id, connection_owner_id, key, body_hash, delivery_id, response_status, response_body, created_at from idempotency_keys order by key, connector_id";
    expect(await target.all(keys)).toEqual(sqlite(keys));
    expect(await target.one("select title from engagements where external_id = 'nul-1'")).toEqual({
      title: "a\ufffdb",
    });
  });

  it("moves the webhook secret kept beside the SQLite file into the settings table", async () => {
    expect(await target.store.readSetting("webhook-secret")).toBe("whsec_copied");
    expect(summary.settings.copied).toContain("webhook-secret");
  });

  it("reads every engagement the same on both, history and tombstones included", async () => {
    const ids = sqlite("select id from engagements order by id").map(
      (r) => (r as { id: number }).id,
    );
    for (const id of ids) {
      const expected = asPgKeeps(await source.store.getEngagement(id));
      expect(expected, `engagement ${id}`).not.toBeNull();
      expect(await target.store.getEngagement(id), `engagement ${id}`).toEqual(expected);
    }
  });

  it("lists the same engagements on both, tombstones hidden, included or alone", async () => {
    for (const deleted of ["hide", "include", "only"]) {
      const query = toEngagementQuery(parseFilter({ deleted }));
      const expected = asPgKeeps(await source.store.listEngagements(query));
      expect(expected.data.length, deleted).toBeGreaterThan(0);
      expect(await target.store.listEngagements(query), deleted).toEqual(expected);
    }
  });

  it("reads every record the same on both", async () => {
    const records = sqlite(
      "select model, connector_id, connection_owner_id, external_id from records",
    ) as {
      model: RecordModel;
      connector_id: string;
      connection_owner_id: string;
      external_id: string;
    }[];
    for (const r of records) {
      const conn = { connectorId: r.connector_id, connectionOwnerId: r.connection_owner_id };
      const expected = await source.store.getRecord(r.model, conn, r.external_id);
      expect(expected, r.external_id).not.toBeNull();
      expect(await target.store.getRecord(r.model, conn, r.external_id)).toEqual(expected);
    }
  });

  it("lists and reads every delivery the same on both, bodies and answers included", async () => {
    for (const search of ["", "limit=3", "outcome=conflict", "outcome=duplicate"]) {
      const expected = await source.store.listDeliveries(deliveryQuery(search));
      expect(expected.data.length, search).toBeGreaterThan(0);
      expect(await target.store.listDeliveries(deliveryQuery(search)), search).toEqual(expected);
    }
    const ids = sqlite("select id from deliveries order by id").map(
      (r) => (r as { id: number }).id,
    );
    for (const id of ids) {
      const expected = asPgKeeps(await source.store.getDelivery(id));
      expect(await target.store.getDelivery(id), `delivery ${id}`).toEqual(expected);
    }
  });

  it("replays every bound key's stored answer byte for byte, and new ids follow the copied ones", async () => {
    const bound = sent.filter((s) => s.result?.outcome === "applied");
    expect(bound.length).toBeGreaterThan(5);
    for (const { meta, body, result } of bound) {
      const again = await ingest(target.store, body, { ...meta, receivedAt: at++ });
      expect(again, meta.idempotencyKey).toMatchObject({
        status: result!.status,
        body: result!.body,
        outcome: "duplicate",
      });
    }
    const [{ max }] = sqlite("select max(id) as max from engagements") as { max: number }[];
    const [{ last }] = sqlite("select max(id) as last from deliveries") as { last: number }[];
    const fresh = await send(target.store, engagementEvent("new-1", "2025-04-01T00:00:00Z"));
    expect(fresh!.deliveryId).toBeGreaterThan(last);
    const created = await target.one("select id from engagements where external_id = 'new-1'");
    expect(Number(created?.id)).toBeGreaterThan(max);
  });

  it("names the row PostgreSQL refuses, and leaves the target as it was", async () => {
    const copy = path.join(source.dir, "refused.db");
    await source.store.backup(copy);
    const broken = new Database(copy);
    // Past the range of PostgreSQL's integer, which SQLite's INTEGER holds.
    broken.prepare("update deliveries set body_bytes = 3000000000 where id = 3").run();
    broken.close();
    const empty = await openEngineStore("postgres");
    try {
      await expect(copySqliteToPg({ from: copy, to: empty.location })).rejects.toThrow(
        /^deliveries \(id 3\): value "3000000000" is out of range for type integer$/,
      );
      for (const table of ["engagements", "engagement_refs", "records", "deliveries"]) {
        expect(await empty.one(`select count(*)::int as n from ${table}`), table).toEqual({ n: 0 });
      }
      const indexes = "select count(*)::int as n from pg_indexes where schemaname = 'public'";
      expect(await empty.one(indexes)).toEqual(await target.one(indexes));
    } finally {
      await empty.cleanup();
    }
  });

  it("refuses a target that holds data, through the function and the CLI (exit 1)", async () => {
    await expect(copySqliteToPg({ from: source.file, to: target.location })).rejects.toThrow(
      CopyError,
    );
    await expect(copyByCli(source.file, target.location)).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/already holds data \(engagements/),
    });
  });

  it("copies through the CLI, never printing the URL's password", async () => {
    const fresh = await openEngineStore("postgres");
    try {
      const url = new URL(fresh.location);
      url.password = "s3cret-pw"; // trust auth: any password is let in
      const { stdout, stderr } = await copyByCli(source.file, url.toString());
      expect(stdout).toMatch(/engagements +\d+ rows/);
      expect(stdout + stderr).not.toContain("s3cret-pw");
      const [copied] = sqlite("select count(*) as n from deliveries");
      expect(await fresh.one("select count(*)::int as n from deliveries")).toEqual(copied);
    } finally {
      await fresh.cleanup();
    }
  });
});
