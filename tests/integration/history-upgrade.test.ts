import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createPgStore } from "@/db/pg/store";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import type { EngagementDetail, FieldChange } from "@/db/types";
import { ingest } from "@/lib/ingest/ingest";
import { testEngines, type Engine } from "../helpers/engines";
import { engagementEvent, fixture } from "../helpers/morph";

/**
 * tests/fixtures/databases/before-history.{db,pg.sql} were written by the code before engagement
 * history (at migration 0008 on SQLite, 0005 on PostgreSQL; the upgrade applies every migration
 * since), one per engine, from the same deliveries: records,
 * a create, its duplicate, an update (status, title, owner), a stale one, a deleted meeting, a
 * delete of an engagement never seen, a note deleted and brought back, the same call in another
 * connection, a refused body. before-history.json is what that code answered for each engagement.
 */
const FIXTURES = path.join(process.cwd(), "tests", "fixtures", "databases");
const before = JSON.parse(fs.readFileSync(path.join(FIXTURES, "before-history.json"), "utf8")) as {
  details: Omit<EngagementDetail, "history">[];
};

type Opened = { store: Store; cleanup(): Promise<void> };

async function openUpgraded(engine: Engine): Promise<Opened> {
  if (engine === "sqlite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "history-upgrade-"));
    const file = path.join(dir, "app.db");
    fs.copyFileSync(path.join(FIXTURES, "before-history.db"), file);
    const store = createSqliteStore({ file, writer: "inline", summaries: "inline" });
    return {
      store,
      async cleanup() {
        await store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const adminUrl = inject("pgAdminUrl")!;
  const name = `history_upgrade_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database "${name}" template template0`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const restore = new pg.Client({ connectionString: url.toString() });
  await restore.connect();
  await restore.query(fs.readFileSync(path.join(FIXTURES, "before-history.pg.sql"), "utf8"));
  await restore.end();
  const store = createPgStore({ url: url.toString(), poolSize: 2 });
  await store.ready();
  return {
    store,
    async cleanup() {
      await store.close();
      const drop = new pg.Client({ connectionString: adminUrl });
      await drop.connect();
      await drop.query(`drop database if exists "${name}" with (force)`);
      await drop.end();
    },
  };
}

/** The first version the stored state makes: every compared field with a value, from null. */
function firstVersionOf(e: Omit<EngagementDetail, "history">): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of ["type", "direction", "status", "title", "description"] as const) {
    if (e[field] !== null) changes.push({ field, from: null, to: e[field] });
  }
  changes.push({ field: "startedAt", from: null, to: e.startedAt });
  if (e.endedAt !== null) changes.push({ field: "endedAt", from: null, to: e.endedAt });
  if (e.duration !== null) changes.push({ field: "duration", from: null, to: e.duration });
  if (e.owner) changes.push({ field: "owner", from: null, to: e.owner.id });
  for (const list of ["users", "contacts", "companies", "opportunities"] as const) {
    const ids = e[list].map((ref) => ref.id).sort();
    if (ids.length > 0) changes.push({ field: list, from: null, to: ids });
  }
  if (e.deletedAt !== null) changes.push({ field: "deleted", from: null, to: true });
  return changes;
}

describe.each(testEngines())("a %s database from before history, upgraded", (engine) => {
  let opened: Opened;
  beforeAll(async () => {
    opened = await openUpgraded(engine);
  });
  afterAll(() => opened?.cleanup());

  it("gives every engagement a first version from its stored state, by no delivery", async () => {
    expect(before.details.length).toBe(5);
    for (const expected of before.details) {
      const upgraded = (await opened.store.getEngagement(Number(expected.id)))!;
      const { history, ...rest } = upgraded;
      expect(rest).toEqual(expected);
      // When and what as best known: the last delivery applied to it.
      const last = expected.deliveries.filter((d) => d.outcome === "applied").at(-1)!;
      expect(history).toEqual([
        {
          deliveryId: null,
          receivedAt: last.receivedAt,
          event: last.event,
          updatedAt: expected.updatedAt,
          changes: firstVersionOf(expected),
        },
      ]);
    }
    const deletedOnly = before.details.find((e) => e.externalId === "30199")!;
    expect(firstVersionOf(deletedOnly).map((c) => c.field)).toEqual(["startedAt", "deleted"]);
  });

  // The fixture predates record_refs too (SQLite 0009, PostgreSQL 0006): the upgrade fills it.
  it("knows the companies of the opportunities it stored, for the roll-up", async () => {
    const acme = { connectorId: "hubspot", connectionOwnerId: "acme-prod" };
    expect(await opened.store.companyOpportunities("7001", acme)).toEqual([
      { ...acme, id: "4401", name: "Acme — Enterprise renewal" },
    ]);
    expect(
      await opened.store.companyOpportunities("7001", {
        connectorId: "hubspot",
        connectionOwnerId: "globex-eu",
      }),
    ).toEqual([]);
  });

  it("adds what a later delivery changes after the upgraded version", async () => {
    const call = before.details.find(
      (e) => e.externalId === "30112" && e.connectionOwnerId === "acme-prod",
    )!;
    const snapshot = fixture("engagement-call-created");
    snapshot.event = "crmEngagement::updated";
    snapshot.data.updatedAt = "2025-03-08T10:00:00.000Z";
    const meta = {
      connectorId: "hubspot",
      connectionOwnerId: "acme-prod",
      headers: {},
      receivedAt: Date.parse("2025-03-21T10:00:00.000Z"),
    };
    const updated = await ingest(opened.store, JSON.stringify(snapshot), {
      ...meta,
      idempotencyKey: "after-upgrade-1",
    });
    expect(updated.outcome).toBe("applied");
    const meeting = before.details.find((e) => e.externalId === "30113")!;
    const back = await ingest(
      opened.store,
      JSON.stringify(engagementEvent("30113", "2025-03-14T00:00:00.000Z")),
      { ...meta, idempotencyKey: "after-upgrade-2" },
    );
    expect(back.outcome).toBe("applied");

    const history = (await opened.store.getEngagement(Number(call.id)))!.history;
    expect(history).toHaveLength(2);
    expect(history[1]).toEqual({
      deliveryId: updated.deliveryId,
      receivedAt: "2025-03-21T10:00:00.000Z",
      event: "crmEngagement::updated",
      updatedAt: "2025-03-08T10:00:00.000Z",
      changes: [
        { field: "status", from: "canceled", to: "completed" },
        { field: "title", from: "Pricing follow-up (moved)", to: "Pricing follow-up" },
        { field: "owner", from: "502", to: "501" },
      ],
    });
    const meetingHistory = (await opened.store.getEngagement(Number(meeting.id)))!.history;
    expect(meetingHistory.map((v) => v.deliveryId)).toEqual([null, back.deliveryId]);
    expect(meetingHistory[1]!.changes).toContainEqual({ field: "deleted", from: true, to: false });
    expect((await opened.store.getDelivery(back.deliveryId))!.version).toBe(2);
  });
});
