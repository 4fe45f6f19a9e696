import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { ingest } from "@/lib/ingest/ingest";
import { reprocessDelivery } from "@/lib/ingest/reprocess";
import { pruneDeliveryBodies } from "@/lib/maintenance";
import { engagementEvent } from "../helpers/morph";
import { createTempDatabase } from "../helpers/temp-db";

const temp = createTempDatabase();
afterAll(() => temp.cleanup());
const store = temp.store;
const DAY = 24 * 60 * 60 * 1000;

function deliver(body: unknown, options: { key?: string; receivedAt?: number } = {}) {
  return ingest(store, typeof body === "string" ? body : JSON.stringify(body), {
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
  it("prunes raw bodies past the retention period, keeps the rows, and old keys still dedupe", async () => {
    const key = randomUUID();
    const body = JSON.stringify(engagementEvent("ret-1", "2025-03-06T10:00:00Z"));
    const old = await deliver(body, { key, receivedAt: Date.now() - 100 * DAY });
    const recent = await deliver(engagementEvent("ret-2", "2025-03-06T10:00:00Z"));

    const { pruned } = await pruneDeliveryBodies(store, 90);
    expect(pruned).toBeGreaterThanOrEqual(1);
    expect(row(old.deliveryId)).toMatchObject({ body: null, outcome: "applied" });
    expect(row(recent.deliveryId).body).not.toBeNull();

    const retry = await deliver(body, { key });
    expect(retry).toMatchObject({ status: 200, outcome: "duplicate", body });
  });
});

describe("reprocess", () => {
  it("re-applies a conflicting delivery through the same rules, once, with its own log row", async () => {
    const key = randomUUID();
    await deliver(
      engagementEvent("rep-1", "2025-03-06T10:00:00Z", { fields: { title: "first" } }),
      {
        key,
      },
    );
    const conflict = await deliver(
      engagementEvent("rep-1", "2025-03-07T10:00:00Z", { fields: { title: "second" } }),
      {
        key,
      },
    );
    expect(conflict.status).toBe(409);

    const again = await reprocessDelivery(store, conflict.deliveryId);
    expect(again).toMatchObject({ status: 200, outcome: "applied" });
    expect(row(again.deliveryId).headers).toContain(`"x-reprocess-of":"${conflict.deliveryId}"`);
    const title = temp.db.$client
      .prepare("select title from engagements where external_id = 'rep-1'")
      .get();
    expect(title).toEqual({ title: "second" });
    expect((await reprocessDelivery(store, conflict.deliveryId)).outcome).toBe("duplicate");
  });

  it("refuses to reprocess an applied delivery", async () => {
    const applied = await deliver(engagementEvent("rep-2", "2025-03-06T10:00:00Z"));
    await expect(reprocessDelivery(store, applied.deliveryId)).rejects.toThrow(
      /rejected or conflicting/,
    );
  });
});

describe("backup", () => {
  it("copies a live database consistently", async () => {
    await deliver(engagementEvent("bak-1", "2025-03-06T10:00:00Z"));
    const destination = path.join(temp.dir, "backup.db");
    const { bytes } = await store.backup(destination);
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
