import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ingest } from "@/lib/ingest";
import { reprocessDelivery } from "@/lib/ingest/reprocess";
import { backupDatabase, pruneDeliveryBodies } from "@/lib/maintenance";
import { engagementEvent } from "../helpers/morph";
import { createTempDatabase } from "../helpers/temp-db";

const temp = createTempDatabase();
afterAll(() => temp.cleanup());
const DAY = 24 * 60 * 60 * 1000;

function deliver(body: unknown, options: { key?: string; receivedAt?: number } = {}) {
  return ingest(temp.db, typeof body === "string" ? body : JSON.stringify(body), {
    connectorId: "hubspot",
    connectionOwnerId: "acme-prod",
    idempotencyKey: options.key ?? randomUUID(),
    headers: {},
    receivedAt: options.receivedAt ?? Date.now(),
  });
}
const row = (id: number) =>
  temp.db.$client.prepare("select * from deliveries where id = ?").get(id) as Record<
    string,
    unknown
  >;

describe("retention", () => {
  it("prunes raw bodies past the retention period, keeps the rows, and old keys still dedupe", () => {
    const key = randomUUID();
    const body = JSON.stringify(engagementEvent("ret-1", "2025-03-06T10:00:00Z"));
    const old = deliver(body, { key, receivedAt: Date.now() - 100 * DAY });
    const recent = deliver(engagementEvent("ret-2", "2025-03-06T10:00:00Z"));

    const { pruned } = pruneDeliveryBodies(temp.db, 90);
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(row(old.deliveryId)).toMatchObject({ body: null, outcome: "applied" });
    expect(row(recent.deliveryId).body).not.toBeNull();

    const retry = deliver(body, { key });
    expect(retry).toMatchObject({ status: 200, outcome: "duplicate", body });
  });
});

describe("reprocess", () => {
  it("re-applies a conflicting delivery through the same rules, once, with its own log row", () => {
    const key = randomUUID();
    deliver(engagementEvent("rep-1", "2025-03-06T10:00:00Z", { fields: { title: "first" } }), {
      key,
    });
    const conflict = deliver(
      engagementEvent("rep-1", "2025-03-07T10:00:00Z", { fields: { title: "second" } }),
      {
        key,
      },
    );
    expect(conflict.status).toBe(409);

    const again = reprocessDelivery(temp.db, conflict.deliveryId);
    expect(again).toMatchObject({ status: 200, outcome: "applied" });
    expect(row(again.deliveryId).headers).toContain(`"x-reprocess-of":"${conflict.deliveryId}"`);
    const title = temp.db.$client
      .prepare("select title from engagements where external_id = 'rep-1'")
      .get();
    expect(title).toEqual({ title: "second" });
    expect(reprocessDelivery(temp.db, conflict.deliveryId).outcome).toBe("duplicate");
  });

  it("refuses to reprocess an applied delivery", () => {
    const applied = deliver(engagementEvent("rep-2", "2025-03-06T10:00:00Z"));
    expect(() => reprocessDelivery(temp.db, applied.deliveryId)).toThrow(/rejected or conflicting/);
  });
});

describe("backup", () => {
  it("copies a live database consistently", async () => {
    deliver(engagementEvent("bak-1", "2025-03-06T10:00:00Z"));
    const destination = path.join(temp.dir, "backup.db");
    const { bytes } = await backupDatabase(temp.db, destination);
    expect(bytes).toBeGreaterThan(0);
    const copy = new Database(destination, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    expect(
      copy.prepare("select count(*) n from engagements where external_id = 'bak-1'").get(),
    ).toEqual({ n: 1 });
    copy.close();
    expect(fs.existsSync(destination)).toBe(true);
  });
});
