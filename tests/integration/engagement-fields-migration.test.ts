import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { storeEngagementFields } from "@/db/fields-codec";
import { openDatabase } from "@/db/sqlite/client";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import { parseDeliveryBody } from "@/lib/ingest/read-delivery";
import { normalizeEngagementFields } from "@/lib/morph/fields";
import { deliver } from "../helpers/deliver";
import { snapshotFields } from "../helpers/engagement-fields";
import { fixture } from "../helpers/morph";
import { addTodaysWriterSchema, createTempDatabase, migrationsBefore } from "../helpers/temp-db";

/**
 * Migration 0007 rewrites the `fields` of engagements stored whole (as every version before it
 * did) into the compact form: each must read back exactly as before, and be what ingest() now
 * writes for the same snapshot.
 */

const temp = createTempDatabase();
afterAll(() => temp.cleanup());
const before = migrationsBefore(temp.dir, "_engagement_fields_compact");
let databases = 0;

/** A store on a connection opened here; closing it closes the connection. */
const storeOn = (db: ReturnType<typeof openDatabase>) =>
  createSqliteStore({ db, writer: "inline", summaries: "inline" });

type Stored = { id: number; text: string; parsed: Record<string, unknown> };

async function deliverSnapshot(
  store: Store,
  externalId: string,
  fields: unknown,
  action = "created",
) {
  const body = JSON.stringify({
    event: `crmEngagement::${action}`,
    data: {
      object: "resource",
      model: "crmEngagement",
      id: externalId,
      ...(action === "deleted" ? {} : { fields }),
      createdAt: "2025-03-01T00:00:00.000Z",
      updatedAt: action === "deleted" ? "2025-03-05T00:00:00.000Z" : "2025-03-02T00:00:00.000Z",
      rawResource: null,
      warnings: [],
    },
  });
  const result = await deliver(store, body, {
    owner: "older",
    receivedAt: Date.parse("2025-04-01T00:00:00Z"),
  });
  expect(result.outcome).toBe("applied");
  const parsed = parseDeliveryBody(body);
  if (!parsed.ok) throw new Error(parsed.failure.message);
  return parsed.event.data.fields ?? {};
}

/** A database from before 0007 holding these snapshots, `fields` written whole as it was then. */
async function olderDatabase(snapshots: unknown[], deleted: boolean[]) {
  const file = path.join(temp.dir, `older-${databases++}.db`);
  const db = openDatabase(file, { migrationsFolder: before });
  db.$client.pragma("synchronous = OFF");
  const store = storeOn(db);
  const undoWriterSchema = addTodaysWriterSchema(db);
  const rows: Stored[] = [];
  const rewrite = db.$client.prepare("update engagements set fields = ? where id = ?");
  const idOf = db.$client
    .prepare("select id from engagements where connection_owner_id = 'older' and external_id = ?")
    .pluck();
  try {
    for (const [i, snapshot] of snapshots.entries()) {
      const externalId = `e${i}`;
      const fields = await deliverSnapshot(store, externalId, snapshot);
      if (deleted[i]) await deliverSnapshot(store, externalId, undefined, "deleted");
      const id = idOf.get(externalId) as number;
      const text = JSON.stringify(fields);
      rewrite.run(text, id);
      rows.push({ id, text, parsed: fields });
    }
  } finally {
    undoWriterSchema();
    await store.close();
  }
  return { file, rows };
}

async function migrate(file: string, rows: Stored[]) {
  const db = openDatabase(file);
  const store = storeOn(db);
  const storedText = db.$client.prepare("select fields from engagements where id = ?").pluck();
  try {
    for (const row of rows) {
      const detail = (await store.getEngagement(row.id))!;
      expect(JSON.stringify(detail.fields, null, 2)).toBe(
        JSON.stringify(JSON.parse(row.text), null, 2),
      );
      expect(detail.fields).toEqual(JSON.parse(row.text));
      const stored = storedText.get(row.id) as string;
      const keysNeedEscaping = Object.keys(row.parsed).some(
        (key) => JSON.stringify(key) !== `"${key}"`,
      );
      if (row.text.includes("\\u") || keysNeedEscaping) {
        expect(stored).toBe(row.text);
      } else {
        expect(stored).toBe(
          JSON.stringify(storeEngagementFields(row.parsed, normalizeEngagementFields(row.parsed))),
        );
      }
    }
  } finally {
    await store.close();
  }
}

describe("migration 0007 (engagement fields stored compactly)", () => {
  it("rewrites any older snapshot so it reads back exactly, as ingest() now stores it", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(snapshotFields, fc.boolean()), { minLength: 1, maxLength: 25 }),
        async (cases) => {
          const snapshots = cases.map(([snapshot]) => snapshot);
          const deleted = cases.map(([, tombstone]) => tombstone);
          const { file, rows } = await olderDatabase(snapshots, deleted);
          await migrate(file, rows);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("compacts the sample events and a delete that came first", async () => {
    const events = ["engagement-call-created", "engagement-meeting-updated"].map(
      (name) => (fixture(name) as { data: { fields: unknown } }).data.fields,
    );
    const { file, rows } = await olderDatabase([...events, {}], [false, false, true]);
    expect(rows[0]!.text).toMatch(/^\{"type":"call"/);
    await migrate(file, rows);
    const after = openDatabase(file);
    const texts = after.$client.prepare("select fields from engagements order by id").pluck().all();
    after.$client.close();
    expect(texts[0]).toBe('["tdsTDaenoumcp"]');
    expect(texts[1]).toMatch(/^\["[a-zA-Z]+"\]$/);
    expect(texts[2]).toBe("{}");
  });
});
