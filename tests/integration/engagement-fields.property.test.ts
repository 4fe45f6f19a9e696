import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parseDeliveryBody } from "@/lib/ingest/read-delivery";
import { deliver } from "../helpers/deliver";
import { snapshotFields } from "../helpers/engagement-fields";
import { fixture } from "../helpers/morph";
import { createTempDatabase } from "../helpers/temp-db";

/**
 * Stored `fields` leave out what the typed columns and engagement_refs hold; every reader
 * (detail page, raw JSON, API) must still get the snapshot's fields exactly as they were
 * received, key order included.
 */

const temp = createTempDatabase();
afterAll(() => temp.cleanup());
const sql = temp.db.$client;

let run = 0;
async function deliverSnapshot(
  externalId: string,
  fields: unknown,
  updatedAt: string,
  action = "updated",
) {
  const body = JSON.stringify({
    event: `crmEngagement::${action}`,
    data: {
      object: "resource",
      model: "crmEngagement",
      id: externalId,
      fields,
      createdAt: "2025-03-01T00:00:00.000Z",
      updatedAt,
      rawResource: null,
      warnings: [],
    },
  });
  const result = await deliver(temp.store, body, {
    owner: "fields",
    receivedAt: Date.parse("2025-04-01T00:00:00Z"),
  });
  expect(result.outcome).toBe("applied");
  const parsed = parseDeliveryBody(body);
  if (!parsed.ok) throw new Error(parsed.failure.message);
  if (action === "deleted") return {};
  // What the engagement's fields read as before they were stored compactly: the parsed
  // snapshot, through JSON.
  return JSON.parse(JSON.stringify(parsed.event.data.fields));
}

function storedId(externalId: string) {
  return sql
    .prepare("select id from engagements where connection_owner_id = 'fields' and external_id = ?")
    .pluck()
    .get(externalId) as number;
}

async function expectSameFields(externalId: string, expected: Record<string, unknown>) {
  const detail = (await temp.store.getEngagement(storedId(externalId)))!;
  expect(JSON.stringify(detail.fields, null, 2)).toBe(JSON.stringify(expected, null, 2));
  expect(Object.keys(detail.fields)).toEqual(Object.keys(expected));
  expect(detail.fields).toEqual(expected);
}

describe("stored engagement fields", () => {
  it("read back exactly as received, for any snapshot, after a create and an update", async () => {
    await fc.assert(
      fc.asyncProperty(snapshotFields, snapshotFields, async (first, second) => {
        const externalId = `p-${run++}`;
        await expectSameFields(
          externalId,
          await deliverSnapshot(externalId, first, "2025-03-02T00:00:00.000Z"),
        );
        const latest = await deliverSnapshot(externalId, second, "2025-03-03T00:00:00.000Z");
        await expectSameFields(externalId, latest);
        // A tombstone keeps the last snapshot's fields.
        await deliverSnapshot(externalId, undefined, "2025-03-04T00:00:00.000Z", "deleted");
        await expectSameFields(externalId, latest);
      }),
      { numRuns: 600 },
    );
  });

  it("reads the sample events back exactly, storing only what the columns cannot give back", async () => {
    for (const name of [
      "engagement-call-created",
      "engagement-meeting-updated",
      "engagement-email-expanded-refs",
    ]) {
      const event = fixture(name) as { data: { id: string; fields: Record<string, unknown> } };
      const externalId = `fixture-${event.data.id}`;
      await expectSameFields(
        externalId,
        await deliverSnapshot(externalId, event.data.fields, "2025-03-09T00:00:00Z"),
      );
    }
    const stored = (externalId: string) =>
      sql
        .prepare(
          "select fields from engagements where connection_owner_id = 'fields' and external_id = ?",
        )
        .pluck()
        .get(externalId);
    // Every value of the call is in a column or a ref row: only the key order is kept.
    expect(stored("fixture-30112")).toBe('["tdsTDaenoumcp"]');
    // The expanded contact stays as received, in its place among the other keys.
    const email = JSON.parse(stored("fixture-30114") as string);
    expect(email[0]).toBe("tdsTDao.m");
    expect(Object.keys(email[1])).toEqual(["contacts"]);
    expect(email[1].contacts[0].object).toBe("resource");
  });

  it("keeps a snapshot with nothing the columns hold as it was received", async () => {
    const fields = { custom: 1, title: 42, owner: { id: "501" } };
    await deliverSnapshot("plain", fields, "2025-03-09T00:00:00Z");
    const text = sql
      .prepare(
        "select fields from engagements where connection_owner_id = 'fields' and external_id = 'plain'",
      )
      .pluck()
      .get();
    expect(text).toBe(JSON.stringify(fields));
    await expectSameFields("plain", fields);
  });
});
