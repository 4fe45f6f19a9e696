import path from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase, type AppDatabase } from "@/db/client";
import { getEngagement } from "@/db/queries/engagements";
import { parseDeliveryBody } from "@/lib/ingest";
import { normalizeEngagementFields, storeEngagementFields } from "@/lib/morph/fields";
import { deliver } from "../helpers/deliver";
import { snapshotFields } from "../helpers/engagement-fields";
import { fixture } from "../helpers/morph";
import { createTempDatabase, migrationsBefore } from "../helpers/temp-db";

/**
 * Migration 0007 rewrites the `fields` of engagements stored whole (as every version before it
 * did) into the compact form: each must read back exactly as before, and be what ingest() now
 * writes for the same snapshot.
 */

const temp = createTempDatabase();
afterAll(() => temp.cleanup());
const before = migrationsBefore(temp.dir, "_engagement_fields_compact");
let databases = 0;

type Stored = { id: number; text: string; parsed: Record<string, unknown> };

function deliverSnapshot(db: AppDatabase, externalId: string, fields: unknown, action = "created") {
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
  const result = deliver(db, body, {
    owner: "older",
    receivedAt: Date.parse("2025-04-01T00:00:00Z"),
  });
  expect(result.outcome).toBe("applied");
  const parsed = parseDeliveryBody(body);
  if (!parsed.ok) throw parsed.error;
  return parsed.event.data.fields ?? {};
}

/** A database from before 0007 holding these snapshots, `fields` written whole as it was then. */
function olderDatabase(snapshots: unknown[], deleted: boolean[]) {
  const file = path.join(temp.dir, `older-${databases++}.db`);
  const db = openDatabase(file, { migrationsFolder: before });
  db.$client.pragma("synchronous = OFF");
  const rows: Stored[] = [];
  const rewrite = db.$client.prepare("update engagements set fields = ? where id = ?");
  const idOf = db.$client
    .prepare("select id from engagements where connection_owner_id = 'older' and external_id = ?")
    .pluck();
  snapshots.forEach((snapshot, i) => {
    const externalId = `e${i}`;
    const fields = deliverSnapshot(db, externalId, snapshot);
    if (deleted[i]) deliverSnapshot(db, externalId, undefined, "deleted");
    const id = idOf.get(externalId) as number;
    const text = JSON.stringify(fields);
    rewrite.run(text, id);
    rows.push({ id, text, parsed: fields });
  });
  db.$client.close();
  return { file, rows };
}

function migrate(file: string, rows: Stored[]) {
  const db = openDatabase(file);
  const storedText = db.$client.prepare("select fields from engagements where id = ?").pluck();
  try {
    for (const row of rows) {
      const detail = getEngagement(db, row.id)!;
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
    db.$client.close();
  }
}

describe("migration 0007 (engagement fields stored compactly)", () => {
  it("rewrites any older snapshot so it reads back exactly, as ingest() now stores it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(snapshotFields, fc.boolean()), { minLength: 1, maxLength: 25 }),
        (cases) => {
          const snapshots = cases.map(([snapshot]) => snapshot);
          const deleted = cases.map(([, tombstone]) => tombstone);
          const { file, rows } = olderDatabase(snapshots, deleted);
          migrate(file, rows);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("compacts the sample events and a delete that came first", () => {
    const events = ["engagement-call-created", "engagement-meeting-updated"].map(
      (name) => (fixture(name) as { data: { fields: unknown } }).data.fields,
    );
    const { file, rows } = olderDatabase([...events, {}], [false, false, true]);
    expect(rows[0]!.text).toMatch(/^\{"type":"call"/);
    migrate(file, rows);
    const after = openDatabase(file);
    const texts = after.$client.prepare("select fields from engagements order by id").pluck().all();
    after.$client.close();
    expect(texts[0]).toBe('["tdsTDaenoumcp"]');
    expect(texts[1]).toMatch(/^\["[a-zA-Z]+"\]$/);
    expect(texts[2]).toBe("{}");
  });
});
