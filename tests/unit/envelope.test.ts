import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEnvelope } from "@/lib/ingest/envelope";
import { EVENTS, morphEventSchema } from "@/lib/morph/schemas";

const MODELS = ["crmEngagement", "genericContact", "genericUser", "other"];

const dataLike = fc.record(
  {
    object: fc.oneof(fc.constantFrom("resource", "resourceRef"), fc.jsonValue()),
    model: fc.oneof(fc.constantFrom(...MODELS), fc.jsonValue()),
    id: fc.oneof(fc.constantFrom("eng_1", " 7 ", "", "  "), fc.integer(), fc.jsonValue()),
    fields: fc.oneof(
      fc.dictionary(
        fc.oneof(fc.string(), fc.constantFrom("__proto__", "1", "type")),
        fc.jsonValue(),
      ),
      fc.jsonValue(),
    ),
    createdAt: fc.jsonValue(),
    updatedAt: fc.oneof(fc.constant("2025-03-06T10:00:00Z"), fc.jsonValue()),
    rawResource: fc.jsonValue(),
    warnings: fc.jsonValue(),
    extra: fc.jsonValue(),
    "2": fc.jsonValue(),
  },
  { requiredKeys: [] },
);

const envelopeLike = fc.record(
  {
    event: fc.oneof(fc.constantFrom(...EVENTS, "crmEngagement::touched"), fc.jsonValue()),
    data: fc.oneof(dataLike, fc.jsonValue()),
    other: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

/** Envelopes Morph could send, keys in the schema's order or shuffled, now and then one odd part. */
const nearlyValid = fc
  .tuple(
    fc.constantFrom(...EVENTS),
    fc.record(
      {
        object: fc.constantFrom("resource", "resourceRef"),
        id: fc.oneof(fc.constantFrom("eng_1", "42", " 7 "), fc.integer()),
        fields: fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
        createdAt: fc.jsonValue(),
        updatedAt: fc.constant("2025-03-06T10:00:00Z"),
        rawResource: fc.constant(null),
        warnings: fc.constant([]),
      },
      { requiredKeys: ["id", "fields"] },
    ),
    fc.option(fc.tuple(fc.constantFrom("extra", "2", "object", "id"), fc.jsonValue())),
    fc.option(fc.array(fc.integer(), { minLength: 12, maxLength: 12 })),
  )
  .map(([event, data, odd, weights]) => {
    const entries: [string, unknown][] = [
      ...Object.entries(data).slice(0, 1),
      ["model", event.split("::")[0]],
      ...Object.entries(data).slice(1),
    ];
    if (odd) entries.push(odd);
    if (weights) entries.sort((a, b) => weights[a[0].length]! - weights[b[0].length]!);
    return { event, data: Object.fromEntries(entries) };
  });

/** What ingest() parses: a body as JSON.parse gives it (own `__proto__` keys included). */
const asReceived = (value: unknown) => JSON.parse(JSON.stringify(value) ?? "null") as unknown;

function expectSameAnswer(value: unknown) {
  const expected = morphEventSchema.safeParse(value);
  const actual = parseEnvelope(value);
  expect(actual.success).toBe(expected.success);
  if (expected.success && actual.success) {
    expect(actual.data).toEqual(expected.data);
    // Key order too: the content hash is taken over JSON.stringify(data).
    expect(JSON.stringify(actual.data)).toBe(JSON.stringify(expected.data));
  } else if (!expected.success && !actual.success) {
    expect(actual.error.issues).toEqual(expected.error.issues);
  }
}

describe("parseEnvelope", () => {
  it("answers exactly as morphEventSchema, key order included", () => {
    fc.assert(
      fc.property(fc.oneof(nearlyValid, envelopeLike, fc.jsonValue()), (value) => {
        expectSameAnswer(asReceived(value));
      }),
      { numRuns: 3000 },
    );
  });

  it("matches the schema on the envelopes Morph sends and on odd keys", () => {
    const bodies = [
      '{"event":"crmEngagement::created","data":{"id":" 12 ","warnings":[],"zz":1,"fields":{"b":1,"a":2,"1":3},"model":"crmEngagement","object":"resource"}}',
      '{"event":"crmEngagement::deleted","data":{"object":"resource","model":"crmEngagement","id":5}}',
      '{"event":"genericContact::updated","data":{"model":"genericContact","id":"c1","fields":{}}}',
      '{"event":"crmEngagement::created","data":{"model":"crmEngagement","id":"x","fields":{"__proto__":{"a":1},"b":2}}}',
      '{"event":"crmEngagement::created","data":{"__proto__":{"a":1},"model":"crmEngagement","id":"x","fields":{}}}',
      '{"event":"crmEngagement::created","data":{"model":"genericUser","id":"x","fields":{}}}',
      '{"event":"crmEngagement::updated","data":{"model":"crmEngagement","id":"x"}}',
      '{"event":"crmEngagement::created","data":{"model":"crmEngagement","id":"  ","fields":{}}}',
    ];
    for (const body of bodies) expectSameAnswer(JSON.parse(body));
  });
});
