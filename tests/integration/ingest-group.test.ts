import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { writeGroup } from "@/db/sqlite/ingest/group";
import { createInlineWriter } from "@/db/sqlite/ingest/writer";
import type { DeliveryMeta, IncomingDelivery } from "@/db/types";
import { readDelivery } from "@/lib/ingest/read-delivery";
import { engagementEvent } from "../helpers/morph";
import { createTempDatabase } from "../helpers/temp-db";

// The inline writer's groups, as it hands them to writeGroup (which still does the writing).
vi.mock(import("@/db/sqlite/ingest/group"), async (importOriginal) => {
  const group = await importOriginal();
  return { ...group, writeGroup: vi.fn(group.writeGroup) };
});
const groupSizes = () =>
  vi.mocked(writeGroup).mock.calls.map(([, deliveries]) => deliveries.length);
beforeEach(() => {
  vi.mocked(writeGroup).mockClear();
});

const temp = createTempDatabase();
afterAll(() => temp.cleanup());
const sql = temp.db.$client;

function meta(key: string = randomUUID(), overrides: Partial<DeliveryMeta> = {}): DeliveryMeta {
  return {
    connectorId: "hubspot",
    connectionOwnerId: "group",
    idempotencyKey: key,
    headers: { "content-type": "application/json" },
    receivedAt: Date.now(),
    ...overrides,
  };
}

function delivery(
  id: string,
  key?: string,
  overrides: Partial<DeliveryMeta> = {},
): IncomingDelivery {
  return readDelivery(
    JSON.stringify(engagementEvent(id, "2025-03-06T10:00:00Z")),
    meta(key, overrides),
  );
}

const stored = (externalId: string) =>
  sql
    .prepare("select id, title from engagements where external_id = ? and connection_owner_id = ?")
    .get(externalId, "group") as { id: number; title: string } | undefined;
const deliveriesWithKey = (key: string) =>
  sql.prepare("select outcome from deliveries where idempotency_key = ? order by id").all(key) as {
    outcome: string;
  }[];

describe("writeGroup", () => {
  it("applies several deliveries in one transaction and answers each", () => {
    const group = ["g-1", "g-2", "g-3"].map((id) => delivery(id));
    const answers = writeGroup(temp.db, group);
    expect(answers.map((a) => a.ok && a.result.outcome)).toEqual(["applied", "applied", "applied"]);
    expect(answers.map((a) => a.ok && a.result.body)).toEqual(group.map((d) => d.rawBody));
    for (const id of ["g-1", "g-2", "g-3"]) expect(stored(id)).toBeDefined();
    expect(sql.inTransaction).toBe(false);
  });

  it("a delivery that fails rolls back alone: the others are applied and acknowledged", () => {
    // NaN binds as NULL: the failing delivery's engagement row is refused by NOT NULL mid-way.
    const group = [
      delivery("f-1"),
      delivery("f-2", undefined, { receivedAt: Number.NaN }),
      delivery("f-3"),
    ];
    const answers = writeGroup(temp.db, group);
    expect(answers[0]).toMatchObject({ ok: true, result: { status: 200, outcome: "applied" } });
    expect(answers[1]).toMatchObject({ ok: false, error: { status: 500 } });
    expect(answers[2]).toMatchObject({ ok: true, result: { status: 200, outcome: "applied" } });
    expect(stored("f-1")).toBeDefined();
    expect(stored("f-2")).toBeUndefined();
    expect(deliveriesWithKey(group[1]!.meta.idempotencyKey)).toEqual([]);
    expect(stored("f-3")).toBeDefined();
  });

  it("answers 503 for the whole group when the transaction cannot start, and stores nothing", () => {
    const blocker = new Database(temp.file);
    blocker.pragma("busy_timeout = 0");
    sql.pragma("busy_timeout = 0");
    blocker.prepare("BEGIN IMMEDIATE").run();
    try {
      const group = ["b-1", "b-2"].map((id) => delivery(id));
      const answers = writeGroup(temp.db, group);
      for (const answer of answers) {
        expect(answer).toMatchObject({
          ok: false,
          error: { status: 503, code: "storage_unavailable", details: { sqlite: "SQLITE_BUSY" } },
        });
      }
    } finally {
      blocker.prepare("ROLLBACK").run();
      blocker.close();
      sql.pragma("busy_timeout = 5000");
    }
    expect(stored("b-1")).toBeUndefined();
    expect(stored("b-2")).toBeUndefined();
    // The same deliveries go through once the database takes writes again.
    const retried = writeGroup(temp.db, [delivery("b-1"), delivery("b-2")]);
    expect(retried.every((a) => a.ok && a.result.outcome === "applied")).toBe(true);
  });

  it("answers 503 for each delivery the disk cannot hold, applying the ones that fit", () => {
    const big = readDelivery(
      JSON.stringify(
        engagementEvent("full-1", "2025-03-06T10:00:00Z", {
          fields: { description: "x".repeat(200_000) },
        }),
      ),
      meta(),
    );
    const pages = sql.pragma("page_count", { simple: true }) as number;
    sql.pragma(`max_page_count = ${pages + 4}`);
    let answers;
    try {
      answers = writeGroup(temp.db, [delivery("small-1"), big]);
    } finally {
      sql.pragma("max_page_count = 1073741823");
    }
    expect(answers[1]).toMatchObject({
      ok: false,
      error: { status: 503, code: "storage_unavailable" },
    });
    expect(stored("full-1")).toBeUndefined();
    // Whatever the small one answered is true of the file.
    expect(stored("small-1") !== undefined).toBe(answers[0]!.ok);
  });

  it("duplicates inside one group: one applied, the rest byte-identical replays", () => {
    const key = randomUUID();
    const body = JSON.stringify(engagementEvent("dup-1", "2025-03-06T10:00:00Z"));
    const group = Array.from({ length: 60 }, () => readDelivery(body, meta(key)));
    const answers = writeGroup(temp.db, group);
    const results = answers.map((a) => (a.ok ? a.result : null));
    expect(results.filter((r) => r?.outcome === "applied")).toHaveLength(1);
    expect(results.filter((r) => r?.outcome === "duplicate")).toHaveLength(59);
    expect(new Set(results.map((r) => r?.body)).size).toBe(1);
    expect(results[0]!.body).toBe(body);
    expect(deliveriesWithKey(key)).toHaveLength(60);
  });

  it("the same key with another body inside one group answers 409", () => {
    const key = randomUUID();
    const [first, second] = [
      delivery("conf-1", key),
      readDelivery(JSON.stringify(engagementEvent("conf-1", "2025-03-06T11:00:00Z")), meta(key)),
    ];
    const answers = writeGroup(temp.db, [first!, second!]);
    expect(answers[0]).toMatchObject({ ok: true, result: { status: 200, outcome: "applied" } });
    expect(answers[1]).toMatchObject({ ok: true, result: { status: 409, outcome: "conflict" } });
  });
});

describe("createInlineWriter", () => {
  it("writes what arrives together as one group and answers each request", async () => {
    const writer = createInlineWriter(temp.db);
    const ids = Array.from({ length: 30 }, (_, i) => `inline-${i}`);
    const answers = await Promise.all(ids.map((id) => writer.submit(delivery(id))));
    expect(groupSizes()).toEqual([30]);
    expect(answers.every((a) => a.ok && a.result.outcome === "applied")).toBe(true);
    for (const id of ids) expect(stored(id)).toBeDefined();
  });

  it("splits a crowd into groups of at most 100", async () => {
    const writer = createInlineWriter(temp.db);
    const ids = Array.from({ length: 150 }, (_, i) => `crowd-${i}`);
    const answers = await Promise.all(ids.map((id) => writer.submit(delivery(id))));
    expect(groupSizes()).toEqual([100, 50]);
    expect(answers.filter((a) => a.ok)).toHaveLength(150);
  });
});
