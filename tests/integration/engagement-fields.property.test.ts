import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDeliveryBody } from "@/lib/ingest/read-delivery";
import { deliver } from "../helpers/deliver";
import { snapshotFields } from "../helpers/engagement-fields";
import { openEngineStore, testEngines, type Engine, type EngineStore } from "../helpers/engines";
import { fixture } from "../helpers/morph";

/**
 * Stored `fields` leave out what the typed columns and engagement_refs hold; every reader
 * (detail page, raw JSON, API) must still get the snapshot's fields exactly as they were
 * received, key order included.
 */

/**
 * What an engine can give back of a value: PostgreSQL's text and jsonb hold no U+0000 and no
 * lone surrogate, which its writer stores as U+FFFD (db/pg/ingest/pg-values.ts).
 */
function storable(engine: Engine, value: unknown): unknown {
  if (engine === "sqlite") return value;
  const text = (s: string) => s.toWellFormed().replace(/\0/g, "\ufffd");
  if (typeof value === "string") return text(value);
  if (Array.isArray(value)) return value.map((v) => storable(engine, v));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    Object.defineProperty(out, text(key), {
      value: storable(engine, v),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

describe.each(testEngines())("on %s", (engine) => {
  let opened: EngineStore;
  beforeAll(async () => {
    opened = await openEngineStore(engine);
  });
  afterAll(() => opened?.cleanup());

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
    const result = await deliver(opened.store, body, {
      owner: "fields",
      receivedAt: Date.parse("2025-04-01T00:00:00Z"),
    });
    expect(result.outcome).toBe("applied");
    const parsed = parseDeliveryBody(body);
    if (!parsed.ok) throw new Error(parsed.failure.message);
    if (action === "deleted") return {};
    // What the engagement's fields read as before they were stored compactly: the parsed
    // snapshot, through JSON (as the engine can hold it).
    return storable(engine, JSON.parse(JSON.stringify(parsed.event.data.fields))) as Record<
      string,
      unknown
    >;
  }

  const FIELDS_OF = "from engagements where connection_owner_id = 'fields' and external_id = ?";

  async function storedId(externalId: string) {
    return Number((await opened.one(`select id ${FIELDS_OF}`, externalId))!.id);
  }

  /** The stored `fields` column, parsed (SQLite keeps text, jsonb arrives parsed). */
  async function storedFields(externalId: string): Promise<unknown> {
    const value = (await opened.one(`select fields ${FIELDS_OF}`, externalId))!.fields;
    return typeof value === "string" ? JSON.parse(value) : value;
  }

  async function expectSameFields(externalId: string, expected: Record<string, unknown>) {
    const detail = (await opened.store.getEngagement(await storedId(externalId)))!;
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
      // 600 × three deliveries and three reads, each read with its history: on PostgreSQL under
      // a loaded machine this passes the default minute.
    }, 180_000);

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
      // Every value of the call is in a column or a ref row: only the key order is kept.
      expect(await storedFields("fixture-30112")).toEqual(["tdsTDaenoumcp"]);
      // The expanded contact stays as received, in its place among the other keys.
      const email = (await storedFields("fixture-30114")) as [
        string,
        { contacts: { object: string }[] },
      ];
      expect(email[0]).toBe("tdsTDao.m");
      expect(Object.keys(email[1])).toEqual(["contacts"]);
      expect(email[1].contacts[0].object).toBe("resource");
    });

    it("keeps a snapshot with nothing the columns hold as it was received", async () => {
      const fields = { custom: 1, title: 42, owner: { id: "501" } };
      await deliverSnapshot("plain", fields, "2025-03-09T00:00:00Z");
      expect(await storedFields("plain")).toEqual(fields);
      await expectSameFields("plain", fields);
    });
  });
});
