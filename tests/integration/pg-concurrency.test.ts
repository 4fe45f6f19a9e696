import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PRUNE_LOCK } from "@/db/pg/maintenance";
import { createPgStore } from "@/db/pg/store";
import type { Store } from "@/db/store";
import type { DeliveryResult } from "@/db/types";
import { ingest } from "@/lib/ingest/ingest";
import { readDelivery } from "@/lib/ingest/read-delivery";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { expectHistoryChains } from "../helpers/history";
import { engagementEvent } from "../helpers/morph";
import { seededRandom } from "../helpers/seeded-random";

/** Two app processes on one database: two stores, each with a pool of its own. */
describe.runIf(testEngines().includes("postgres"))("PostgreSQL shared by two processes", () => {
  let first: EngineStore;
  let second: Store;
  let stores: Store[];
  /** Two more, with wider pools: 20 connections contending for one row. */
  let wide: Store[];
  beforeAll(async () => {
    first = await openEngineStore("postgres");
    second = createPgStore({ url: first.location, poolSize: 4 });
    stores = [first.store, second];
    wide = [0, 1].map(() => createPgStore({ url: first.location, poolSize: 10 }));
  });
  afterAll(async () => {
    await Promise.all([second, ...wide].map((store) => store.close()));
    await first.cleanup();
  });

  const send = (store: Store, body: string, key: string = randomUUID()) =>
    ingest(store, body, {
      connectorId: "hubspot",
      connectionOwnerId: "acme-prod",
      idempotencyKey: key,
      headers: {},
      receivedAt: Date.now(),
    });
  const at = (minute: number) => new Date(Date.UTC(2025, 0, 1) + minute * 60_000).toISOString();
  const stored = (externalId: string) =>
    first.all(
      "select id, title, updated_at, deleted_at from engagements where external_id = ?",
      externalId,
    );

  it("applies exactly one of 100 concurrent duplicates from both and replays it byte for byte", async () => {
    const key = randomUUID();
    const body = JSON.stringify(engagementEvent("dup-1", "2025-03-06T10:00:00Z"));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => send(stores[i % 2]!, body, key)),
    );
    const applied = results.filter((r) => r.outcome === "applied");
    expect(applied).toHaveLength(1);
    expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength(99);
    expect(new Set(results.map((r) => `${r.status} ${r.body}`))).toEqual(new Set([`200 ${body}`]));
    expect(await stored("dup-1")).toHaveLength(1);

    const rows = await first.all(
      "select id, outcome, repeat_count, original_delivery_id from deliveries where idempotency_key = ?",
      key,
    );
    expect(rows).toHaveLength(100);
    const original = rows.find((row) => row.outcome === "applied")!;
    expect(original).toMatchObject({ id: applied[0]!.deliveryId, repeat_count: 99 });
    const repeats = rows.filter((row) => row.outcome === "duplicate");
    expect(repeats.every((row) => row.original_delivery_id === original.id)).toBe(true);
  });

  it("applies once a key reused for another resource, from four pools, and replays each resource", async () => {
    const key = `crmEngagement::created:${randomUUID()}`;
    const bodies = ["reuse-1", "reuse-2", "reuse-3"].map((id) =>
      JSON.stringify(engagementEvent(id, "2025-03-06T10:00:00Z")),
    );
    const pools = [...stores, ...wide];
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) => send(pools[i % 4]!, bodies[i % 3]!, key)),
    );
    for (const [i, body] of bodies.entries()) {
      const mine = results.filter((_, j) => j % 3 === i);
      expect(mine.filter((r) => r.outcome === "applied")).toHaveLength(1);
      expect(new Set(mine.map((r) => `${r.status} ${r.body}`))).toEqual(new Set([`200 ${body}`]));
    }
    const rows = await first.all(
      `select resource_id, count(*) as n from deliveries
        where idempotency_key = ? and outcome = 'applied' group by resource_id order by resource_id`,
      key,
    );
    expect(rows.map((row) => [row.resource_id, Number(row.n)])).toEqual([
      ["reuse-1", 1],
      ["reuse-2", 1],
      ["reuse-3", 1],
    ]);
    for (const id of ["reuse-1", "reuse-2", "reuse-3"]) expect(await stored(id)).toHaveLength(1);
  });

  /** Every answer has its own log row, with the outcome it answered. */
  async function expectLogged(results: DeliveryResult[]) {
    const rows = await first.all(
      `select id, outcome from deliveries where id in (${results.map(() => "?").join(", ")})`,
      ...results.map((r) => r.deliveryId),
    );
    const logged = new Map(rows.map((row) => [row.id, row.outcome]));
    expect(results.map((r) => logged.get(r.deliveryId))).toEqual(results.map((r) => r.outcome));
  }

  type Step = { id: string; minute: number; action: "deleted" | "updated" };
  const snapshotBody = (step: Step) =>
    JSON.stringify(
      engagementEvent(step.id, at(step.minute), {
        action: step.action,
        fields: {
          title: `v${step.minute}`,
          contacts: [{ object: "resourceRef", model: "genericContact", id: `c${step.minute}` }],
        },
      }),
    );

  /** What one engagement holds after its 60 snapshots, checked against its newest. */
  async function expectNewest(steps: Step[]) {
    const { id } = steps[0]!;
    const rows = await stored(id);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.updated_at).toBe(Date.parse(at(59)));
    if (steps[59]!.action === "deleted") {
      // The tombstone keeps the time of the delete that made it (which one depends on arrival).
      const deletes = steps
        .filter((s) => s.action === "deleted")
        .map((s) => Date.parse(at(s.minute)));
      expect(deletes).toContain(row.deleted_at);
    } else {
      expect(row).toMatchObject({ title: "v59", deleted_at: null });
      const refs = await first.all(
        "select ref_id from engagement_refs where engagement_id = ? and role = 'contact'",
        row.id,
      );
      expect(refs).toEqual([{ ref_id: "c59" }]);
    }
    // An older snapshot, or one tied with a tombstone, changes nothing.
    const late = {
      id,
      minute: steps[59]!.action === "deleted" ? 59 : 30,
      action: "updated" as const,
    };
    expect((await send(first.store, snapshotBody(late))).outcome).toBe("stale");
    expect(await stored(id)).toEqual(rows);
  }

  /** Its versions, numbered without a gap under contention, each made by one applied delivery. */
  async function expectVersions(steps: Step[], results: DeliveryResult[]) {
    const [row] = await stored(steps[0]!.id);
    const detail = (await first.store.getEngagement(Number(row!.id)))!;
    expectHistoryChains(detail);
    const applied = new Set(
      results.filter((r) => r.outcome === "applied").map((r) => r.deliveryId),
    );
    const makers = detail.history.map((version) => version.deliveryId);
    expect(makers.every((id) => applied.has(id!))).toBe(true);
    expect(new Set(makers).size).toBe(makers.length);
    const versions = await first.all(
      "select version from engagement_history where engagement_id = ? order by version",
      row!.id,
    );
    expect(versions.map((v) => v.version)).toEqual(makers.map((_, i) => i + 1));
  }

  it("keeps the newest of 60 shuffled snapshots sent at once, and its tombstone", async () => {
    const random = seededRandom("pg-concurrency snapshots");
    // Four engagements: two whose newest event is a delete, two an update.
    const histories = ["deleted-1", "deleted-2", "updated-1", "updated-2"].map((id) => {
      const steps: Step[] = Array.from({ length: 60 }, (_, minute) => ({
        id: `snap-${id}`,
        minute,
        action: random.next() < 0.3 ? "deleted" : "updated",
      }));
      steps[59]!.action = id.startsWith("deleted") ? "deleted" : "updated";
      return steps;
    });
    // One engagement at a time, its 60 snapshots all at once: 20 connections contend for its row.
    for (const steps of histories) {
      const order = random.shuffle(steps);
      const results = await Promise.all(
        order.map((step, i) => send(wide[i % 2]!, snapshotBody(step))),
      );
      expect(new Set(results.map((r) => r.status))).toEqual(new Set([200]));
      await expectLogged(results);
      const outcomes = new Set(results.map((r) => r.outcome));
      expect([...outcomes].every((o) => ["applied", "stale", "unchanged"].includes(o))).toBe(true);
      await expectNewest(steps);
      await expectVersions(steps, results);
    }
  });

  it("stores the newest of a record carried by 40 concurrent deliveries", async () => {
    const random = seededRandom("pg-concurrency records");
    const minutes = random.shuffle(Array.from({ length: 40 }, (_, minute) => minute));
    const results = await Promise.all(
      minutes.map((minute, i) => {
        const contact = {
          object: "resource",
          model: "genericContact",
          id: "shared-contact",
          fields: { firstName: `Name${minute}`, lastName: "Shared" },
          createdAt: at(0),
          updatedAt: at(minute),
        };
        const event = engagementEvent(`carrier-${minute}`, at(minute), {
          fields: { contacts: [contact] },
        });
        return send(stores[i % 2]!, JSON.stringify(event));
      }),
    );
    expect(results.map((r: DeliveryResult) => r.outcome)).toEqual(minutes.map(() => "applied"));
    expect(
      await first.all(
        "select name, updated_at from records where model = 'genericContact' and external_id = 'shared-contact'",
      ),
    ).toEqual([{ name: "Name39 Shared", updated_at: Date.parse(at(39)) }]);
  });

  it("creates a new engagement carrying a record once when 20 versions of it race", async () => {
    const random = seededRandom("pg-concurrency first insert");
    const contactEvent = {
      event: "genericContact::created",
      data: { model: "genericContact", id: "racing-contact", fields: {}, updatedAt: at(0) },
    };
    expect((await send(first.store, JSON.stringify(contactEvent))).outcome).toBe("applied");
    // Carrying a stored record, each takes the locking transaction, and they race to insert the
    // engagement (not the record).
    const results = await Promise.all(
      random.shuffle(Array.from({ length: 20 }, (_, minute) => minute)).map((minute, i) => {
        const contact = {
          object: "resource",
          model: "genericContact",
          id: "racing-contact",
          fields: { firstName: `Racer${minute}` },
          updatedAt: at(minute),
        };
        const event = engagementEvent("racing-1", at(minute), {
          fields: { title: `v${minute}`, contacts: [contact] },
        });
        return send(wide[i % 2]!, JSON.stringify(event));
      }),
    );
    expect(results.filter((r) => r.outcome === "applied").length).toBeGreaterThanOrEqual(1);
    await expectLogged(results);
    expect(await stored("racing-1")).toEqual([
      expect.objectContaining({ title: "v19", updated_at: Date.parse(at(19)), deleted_at: null }),
    ]);
    expect(
      await first.all("select name from records where external_id = 'racing-contact'"),
    ).toEqual([{ name: "Racer19" }]);
  });

  it("prunes under an advisory lock: a second prune at the same time prunes nothing", async () => {
    const old = Date.now() - 200 * 24 * 60 * 60 * 1000;
    for (let i = 0; i < 20; i++) {
      await ingest(first.store, JSON.stringify(engagementEvent(`old-${i}`, at(i))), {
        connectorId: "hubspot",
        connectionOwnerId: "acme-prod",
        idempotencyKey: randomUUID(),
        headers: {},
        receivedAt: old,
      });
    }
    const cutoff = old + 1;
    const oldBodies = async () =>
      Number(
        (await first.one(
          "select count(*) as n from deliveries where received_at < ? and body is not null",
          cutoff,
        ))!.n,
      );

    // While another process holds the lock, a prune answers at once and prunes nothing.
    const holder = new pg.Client({ connectionString: first.location });
    await holder.connect();
    await holder.query("begin");
    await holder.query("select pg_advisory_xact_lock($1)", [PRUNE_LOCK]);
    const started = performance.now();
    expect(await second.pruneDeliveryBodies(cutoff)).toEqual({ pruned: 0 });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(await oldBodies()).toBe(20);
    await holder.query("rollback");
    await holder.end();

    const both = await Promise.all(stores.map((store) => store.pruneDeliveryBodies(cutoff)));
    expect(both.map((r) => r.pruned).sort((a, b) => a - b)).toEqual([0, 20]);
    expect(await oldBodies()).toBe(0);
  });

  it("answers 503, not 500, when its connection dies mid-delivery, and the retry goes through", async () => {
    const key = randomUUID();
    const body = JSON.stringify(engagementEvent("killed-1", "2025-03-06T10:00:00Z"));
    // Another session binds the key for this resource and holds it uncommitted: the delivery waits.
    const holder = new pg.Client({ connectionString: first.location });
    await holder.connect();
    await holder.query("begin");
    await holder.query(
      `insert into idempotency_keys (connector_id, connection_owner_id, key, model, resource_id,
         body_hash, delivery_id, response_status, response_body)
       values ('hubspot', 'acme-prod', $1, 'crmEngagement', 'killed-1', '', 0, 200, '')`,
      [key],
    );
    const answer = first.store.ingestDelivery(
      readDelivery(body, {
        connectorId: "hubspot",
        connectionOwnerId: "acme-prod",
        idempotencyKey: key,
        headers: {},
        receivedAt: Date.now(),
      }),
    );
    const waiting = `select pid from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`;
    for (let i = 0; i < 100 && (await holder.query(waiting)).rows.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await holder.query(`select pg_terminate_backend(pid) from (${waiting}) w`);
    expect(await answer).toEqual({
      ok: false,
      error: expect.objectContaining({ status: 503, code: "storage_unavailable" }),
    });
    await holder.query("rollback");
    await holder.end();

    expect(await stored("killed-1")).toEqual([]);
    expect((await send(first.store, body, key)).outcome).toBe("applied");
  });
});
