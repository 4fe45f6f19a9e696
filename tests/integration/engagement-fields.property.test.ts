import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { getEngagement } from "@/db/queries/engagements";
import { ingest, parseDeliveryBody } from "@/lib/ingest";
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

const MODELS = ["genericUser", "genericContact", "genericCompany", "crmOpportunity"];
const LISTS = {
  users: "genericUser",
  contacts: "genericContact",
  companies: "genericCompany",
  opportunities: "crmOpportunity",
} as const;

/** Strings SQLite and JSON find awkward: lone surrogates, NUL, line separators, emoji. */
const oddString = fc.oneof(
  fc.string(),
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: "binary" }),
  fc.constantFrom("", " ", "\u0000", "a\ud800b", "\udc00", "\u2028", "😀", "é", '"\\', " 501 "),
);
const oddValue = fc.oneof(
  oddString,
  fc.jsonValue(),
  fc.constantFrom(null, 0, -1, 1.5, 1e21, 2 ** 53, true, [], {}),
);

const id = fc.oneof(
  fc.integer({ min: 1, max: 40 }).map(String),
  fc.constantFrom("501", "9001", "a b", "x\ud800"),
);
const iso = fc
  .integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 })
  .map((ms) => new Date(ms).toISOString());
const isoLike = fc.oneof(
  iso,
  iso.map((s) => s.replace(".000Z", "Z")),
  iso.map((s) => s.replace("Z", "+00:00")),
  fc.constantFrom("+275760-09-13T00:00:00.000Z", "-000001-01-01T00:00:00.000Z", "last tuesday"),
);

/** A reference as Morph sends it, and the shapes it should not come in. */
function refOf(model: string) {
  const bare = id.map((i) => ({ object: "resourceRef", model, id: i }));
  return fc.oneof(
    { weight: 6, arbitrary: bare },
    {
      weight: 1,
      arbitrary: fc.record({
        object: fc.constant("resource"),
        model: fc.constant(model),
        id,
        fields: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
        createdAt: iso,
        updatedAt: iso,
      }),
    },
    { weight: 1, arbitrary: bare.map((r) => ({ id: r.id, model: r.model, object: r.object })) },
    { weight: 1, arbitrary: bare.map((r) => ({ model: r.model, id: r.id })) },
    { weight: 1, arbitrary: bare.map((r) => ({ ...r, extra: 1 })) },
    { weight: 1, arbitrary: fc.constantFrom(...MODELS).map((m) => ({ ...refShape(m), id: "7" })) },
    { weight: 1, arbitrary: fc.integer().map((n) => ({ object: "resourceRef", model, id: n })) },
    { weight: 1, arbitrary: oddValue },
  );
}
const refShape = (model: string) => ({ object: "resourceRef", model });

function refList(model: string) {
  return fc.oneof(
    { weight: 8, arbitrary: fc.array(refOf(model), { maxLength: 4 }) },
    // The same record twice: engagement_refs keeps one row.
    { weight: 2, arbitrary: refOf(model).map((r) => [r, r]) },
    { weight: 1, arbitrary: oddValue },
  );
}

/** A value for each key Morph defines, mostly well formed. */
const KNOWN: Record<string, fc.Arbitrary<unknown>> = {
  type: fc.oneof(fc.constantFrom("call", "meeting", "email", "task", "note", "sms"), oddValue),
  direction: fc.oneof(fc.constantFrom("inbound", "outbound"), oddValue),
  status: fc.oneof(fc.constantFrom("planned", "completed", "weird"), oddValue),
  title: fc.oneof({ weight: 4, arbitrary: fc.string() }, oddValue),
  description: fc.oneof({ weight: 4, arbitrary: fc.lorem() }, oddValue),
  startedAt: fc.oneof({ weight: 4, arbitrary: iso }, isoLike, oddValue),
  endedAt: fc.oneof({ weight: 4, arbitrary: iso }, isoLike, oddValue),
  duration: fc.oneof(
    { weight: 4, arbitrary: fc.nat() },
    fc.constantFrom(-5, 1.5, 2 ** 53, Number.MAX_SAFE_INTEGER, 0, "57"),
    oddValue,
  ),
  owner: fc.oneof({ weight: 4, arbitrary: refOf("genericUser") }, refOf("genericContact")),
  ...Object.fromEntries(
    Object.entries(LISTS).map(([key, model]) => [
      key,
      fc.oneof({ weight: 4, arbitrary: refList(model) }, refList("genericUser")),
    ]),
  ),
};

/** Keys Morph does not define, some that look like ours, some JavaScript treats specially. */
const unknownKey = fc.oneof(
  fc.string(),
  fc.constantFrom("__proto__", "constructor", "toString", "0", "10", "1e3", ".", "t", "a", "T"),
);

/** A snapshot's `fields`: known keys in any order, unknown keys anywhere. */
const snapshotFields = fc
  .tuple(
    fc.shuffledSubarray(Object.keys(KNOWN)),
    fc.uniqueArray(fc.tuple(unknownKey, oddValue), {
      maxLength: 4,
      selector: ([key]) => key,
    }),
  )
  .chain(([known, unknown]) =>
    fc
      .tuple(
        fc.tuple(...known.map((key) => KNOWN[key]!.map((value) => [key, value] as const))),
        fc.shuffledSubarray([...known.map((_, i) => i), ...unknown.map((_, i) => -1 - i)], {
          minLength: known.length + unknown.length,
        }),
      )
      .map(([knownEntries, order]) => {
        const fields: Record<string, unknown> = {};
        for (const i of order) {
          const [key, value] = i >= 0 ? knownEntries[i]! : unknown[-1 - i]!;
          if (key in fields && Object.hasOwn(fields, key)) continue;
          Object.defineProperty(fields, key, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return fields;
      }),
  );

let run = 0;
function deliver(externalId: string, fields: unknown, updatedAt: string, action = "updated") {
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
  const result = ingest(temp.db, body, {
    connectorId: "hubspot",
    connectionOwnerId: "fields",
    idempotencyKey: randomUUID(),
    headers: {},
    receivedAt: Date.parse("2025-04-01T00:00:00Z"),
  });
  expect(result.outcome).toBe("applied");
  const parsed = parseDeliveryBody(body);
  if (!parsed.ok) throw parsed.error;
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

function expectSameFields(externalId: string, expected: Record<string, unknown>) {
  const detail = getEngagement(temp.db, storedId(externalId))!;
  expect(JSON.stringify(detail.fields, null, 2)).toBe(JSON.stringify(expected, null, 2));
  expect(Object.keys(detail.fields)).toEqual(Object.keys(expected));
  expect(detail.fields).toEqual(expected);
}

describe("stored engagement fields", () => {
  it("read back exactly as received, for any snapshot, after a create and an update", () => {
    fc.assert(
      fc.property(snapshotFields, snapshotFields, (first, second) => {
        const externalId = `p-${run++}`;
        expectSameFields(externalId, deliver(externalId, first, "2025-03-02T00:00:00.000Z"));
        const latest = deliver(externalId, second, "2025-03-03T00:00:00.000Z");
        expectSameFields(externalId, latest);
        // A tombstone keeps the last snapshot's fields.
        deliver(externalId, undefined, "2025-03-04T00:00:00.000Z", "deleted");
        expectSameFields(externalId, latest);
      }),
      { numRuns: 600 },
    );
  });

  it("reads the sample events back exactly, storing only what the columns cannot give back", () => {
    for (const name of [
      "engagement-call-created",
      "engagement-meeting-updated",
      "engagement-email-expanded-refs",
    ]) {
      const event = fixture(name) as { data: { id: string; fields: Record<string, unknown> } };
      const externalId = `fixture-${event.data.id}`;
      expectSameFields(externalId, deliver(externalId, event.data.fields, "2025-03-09T00:00:00Z"));
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

  it("keeps a snapshot with nothing the columns hold as it was received", () => {
    const fields = { custom: 1, title: 42, owner: { id: "501" } };
    deliver("plain", fields, "2025-03-09T00:00:00Z");
    const text = sql
      .prepare(
        "select fields from engagements where connection_owner_id = 'fields' and external_id = 'plain'",
      )
      .pluck()
      .get();
    expect(text).toBe(JSON.stringify(fields));
    expectSameFields("plain", fields);
  });
});
