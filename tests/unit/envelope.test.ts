import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseEnvelope } from "@/lib/ingest/envelope";

/**
 * The envelope rules written out from Morph's format, independently of the zod schema and of
 * the fast path: valid envelopes are built, and their expected parse is known from how they
 * were built; invalid ones are a valid one with one known fault.
 */

const MODELS = [
  "crmEngagement",
  "genericUser",
  "genericContact",
  "genericCompany",
  "crmOpportunity",
];
const ACTIONS = ["created", "updated", "deleted"];
const EVENTS = MODELS.flatMap((model) => ACTIONS.map((action) => `${model}::${action}`));
/** `data`'s declared keys in the order the parsed envelope has them; any other key follows. */
const DATA_KEYS = [
  "object",
  "model",
  "id",
  "fields",
  "createdAt",
  "updatedAt",
  "rawResource",
  "warnings",
];

type Entries = [string, unknown][];
/** An object as its entries in the order they are written, so a body can carry any key order. */
class Written {
  constructor(readonly entries: Entries) {}
}
/** A body as a sender writes it: `__proto__` and integer-like keys included, in this order. */
function bodyOf(value: unknown): string {
  if (value instanceof Written) {
    return `{${value.entries.map(([k, v]) => `${JSON.stringify(k)}:${bodyOf(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
/** What a parser of that body must give: the entries as a plain object, `__proto__` dropped. */
function objectOf(entries: Entries): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of entries) if (key !== "__proto__") out[key] = value;
  return out;
}

/** JSON values as they come back from JSON.parse (so -0 is 0, no undefined). */
const json = fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(JSON.stringify(v)) as unknown);
const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(json, { maxLength: 2 }),
  fc.dictionary(fc.string(), json, { maxKeys: 2 }),
);
const notObject = fc.oneof(
  fc.string(),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(json, { maxLength: 2 }),
);
const whitespace = fc
  .array(fc.constantFrom(" ", "\t", "\n", "\r", "\u00a0", "\u2003", "\u2028", "\ufeff"), {
    maxLength: 3,
  })
  .map((chars) => chars.join(""));
const oddKey = fc
  .oneof(fc.string(), fc.constantFrom("extra", "2", "10", "__proto__", "Object", "ID"))
  .filter((key) => !DATA_KEYS.includes(key));

/** An id as sent, and the string id the parse must give. */
const resourceId = fc.oneof(
  fc
    .tuple(
      whitespace,
      fc.oneof(
        fc.constantFrom("eng_1", "30112", "c 1", "0"),
        fc.string({ minLength: 1 }).filter((s) => s.trim() === s && s.length > 0),
      ),
      whitespace,
    )
    .map(([before, id, after]) => ({ sent: `${before}${id}${after}` as unknown, id })),
  fc.integer().map((n) => ({ sent: n as unknown, id: String(n) })),
  fc
    .double({ noNaN: true, noDefaultInfinity: true })
    .map((n) => ({ sent: n as unknown, id: String(n === 0 ? 0 : n) })),
);

type Valid = {
  event: string;
  model: string;
  action: string;
  /** `data`'s entries as sent, in the order sent; the id as sent. */
  data: Entries;
  id: string;
  /** `data.fields` as sent, when it was. */
  fields: Entries | null;
  top: Entries;
};

const validEnvelope: fc.Arbitrary<Valid> = fc
  .record({
    event: fc.constantFrom(...EVENTS),
    id: resourceId,
    object: fc.option(fc.oneof(fc.constantFrom("resource", "resourceRef"), fc.string())),
    fields: fc.option(
      fc.array(fc.tuple(fc.oneof(fc.string(), fc.constantFrom("__proto__", "1", "type")), json), {
        maxLength: 4,
      }),
    ),
    optional: fc.array(
      fc.tuple(fc.constantFrom("createdAt", "updatedAt", "rawResource", "warnings"), json),
      { maxLength: 4 },
    ),
    extra: fc.array(fc.tuple(oddKey, json), { maxLength: 3 }),
    topExtra: fc.array(fc.tuple(fc.constantFrom("other", "__proto__", "model", "1"), json), {
      maxLength: 2,
    }),
    order: fc.oneof(fc.constant(null), fc.array(fc.integer(), { minLength: 16, maxLength: 16 })),
    eventFirst: fc.boolean(),
  })
  .map((r) => {
    const [model, action] = r.event.split("::");
    // Every created/updated event needs fields; a delete may go without.
    const fieldEntries = r.fields ?? (action === "deleted" ? null : []);
    const unique = (entries: Entries) =>
      entries.filter(([key], i) => entries.findIndex(([k]) => k === key) === i);
    let data: Entries = [
      ...(r.object === null ? [] : ([["object", r.object]] as Entries)),
      ["model", model],
      ["id", r.id.sent],
      ...(fieldEntries === null
        ? []
        : ([["fields", new Written(unique(fieldEntries))]] as Entries)),
      ...unique(r.optional).sort((a, b) => DATA_KEYS.indexOf(a[0]) - DATA_KEYS.indexOf(b[0])),
      ...unique(r.extra),
    ];
    if (r.order) {
      const weights = r.order;
      data = data
        .map((entry, i) => ({ entry, weight: weights[i % weights.length] }))
        .sort((a, b) => a.weight - b.weight)
        .map(({ entry }) => entry);
    }
    const top: Entries = [
      ["event", r.event],
      ["data", new Written(data)],
    ];
    if (!r.eventFirst) top.reverse();
    top.push(...unique(r.topExtra));
    return {
      event: r.event,
      model,
      action,
      data,
      id: r.id.id,
      fields: fieldEntries === null ? null : unique(fieldEntries),
      top,
    };
  });

/** What a valid envelope parses to, from how it was built. */
function expectedParse(valid: Valid) {
  const sent = new Map(valid.data);
  const ordered: Entries = [];
  for (const key of DATA_KEYS) {
    if (key === "id") ordered.push(["id", valid.id]);
    else if (key === "fields" && valid.fields) ordered.push(["fields", objectOf(valid.fields)]);
    else if (sent.has(key)) ordered.push([key, sent.get(key)]);
  }
  for (const [key, value] of valid.data) if (!DATA_KEYS.includes(key)) ordered.push([key, value]);
  return { event: valid.event, data: objectOf(ordered), model: valid.model, action: valid.action };
}

function parseBody(body: string) {
  return parseEnvelope(JSON.parse(body));
}

/** One fault applied to a valid envelope, and the path its issue must name. */
type Fault = { name: string; path: string; apply(valid: Valid): unknown };

const withData = (valid: Valid, change: (data: Entries) => Entries) =>
  new Written(
    valid.top.map(([key, value]): [string, unknown] =>
      key === "data" ? [key, new Written(change(valid.data))] : [key, value],
    ),
  );
const withTop = (valid: Valid, change: (top: Entries) => Entries) => new Written(change(valid.top));
const without = (key: string) => (entries: Entries) => entries.filter(([k]) => k !== key);
const replacing = (key: string, value: unknown) => (entries: Entries) =>
  entries.some(([k]) => k === key)
    ? entries.map(([k, v]): [string, unknown] => [k, k === key ? value : v])
    : [...entries, [key, value] as [string, unknown]];

const fault: fc.Arbitrary<Fault> = fc.oneof(
  fc.constant<Fault>({
    name: "no event",
    path: "event",
    apply: (v) => withTop(v, without("event")),
  }),
  fc
    .oneof(
      fc.constantFrom("crmEngagement::touched", "crmengagement::created", "crmEngagement", ""),
      fc.string().filter((s) => !EVENTS.includes(s)),
      notString,
    )
    .map((event) => ({
      name: `event ${JSON.stringify(event)}`,
      path: "event",
      apply: (v: Valid) => withTop(v, replacing("event", event)),
    })),
  fc.constant<Fault>({ name: "no data", path: "data", apply: (v) => withTop(v, without("data")) }),
  notObject.map((data) => ({
    name: `data ${JSON.stringify(data)}`,
    path: "data",
    apply: (v: Valid) => withTop(v, replacing("data", data)),
  })),
  fc.constant<Fault>({
    name: "no data.model",
    path: "data.model",
    apply: (v) => withData(v, without("model")),
  }),
  fc
    .oneof(fc.constantFrom(...MODELS, "crmengagement", ""), fc.string(), notString)
    .map((model) => ({
      name: `data.model ${JSON.stringify(model)}`,
      path: "data.model",
      apply: (v: Valid) =>
        // Only a model other than the event's is a fault.
        withData(v, replacing("model", model === v.model ? `${v.model}s` : model)),
    })),
  fc.constant<Fault>({
    name: "no data.id",
    path: "data.id",
    apply: (v) => withData(v, without("id")),
  }),
  fc
    .oneof(
      whitespace,
      fc.boolean(),
      fc.constant(null),
      fc.array(json, { maxLength: 2 }),
      fc.constant({}),
    )
    .map((id) => ({
      name: `data.id ${JSON.stringify(id)}`,
      path: "data.id",
      apply: (v: Valid) => withData(v, replacing("id", id)),
    })),
  fc.constant<Fault>({
    name: "no data.fields",
    path: "data.fields",
    // Only created and updated events need fields: a delete loses them by being renamed.
    apply: (v) =>
      withTop(v, (top) =>
        top.map(([key, value]): [string, unknown] => {
          if (key === "event")
            return [key, `${v.model}::${v.action === "deleted" ? "updated" : v.action}`];
          if (key === "data") return [key, new Written(without("fields")(v.data))];
          return [key, value];
        }),
      ),
  }),
  notObject.map((fields) => ({
    name: `data.fields ${JSON.stringify(fields)}`,
    path: "data.fields",
    apply: (v: Valid) => withData(v, replacing("fields", fields)),
  })),
  notString.map((object) => ({
    name: `data.object ${JSON.stringify(object)}`,
    path: "data.object",
    apply: (v: Valid) => withData(v, replacing("object", object)),
  })),
  notObject.map((body) => ({ name: `body ${JSON.stringify(body)}`, path: "", apply: () => body })),
);

/** Anything a sender might post: envelope-shaped with any part odd, or any JSON at all. */
const anyBody = fc
  .oneof(
    fc.record(
      {
        event: fc.oneof(fc.constantFrom(...EVENTS, "crmEngagement::touched"), json),
        data: fc.oneof(
          fc.record(
            {
              object: fc.oneof(fc.constantFrom("resource", "resourceRef"), json),
              model: fc.oneof(fc.constantFrom(...MODELS, "other"), json),
              id: fc.oneof(fc.constantFrom("eng_1", " 7 ", "", "  "), fc.integer(), json),
              fields: fc.oneof(fc.dictionary(fc.oneof(fc.string(), fc.constant("1")), json), json),
              createdAt: json,
              updatedAt: json,
              extra: json,
              "2": json,
            },
            { requiredKeys: [] },
          ),
          json,
        ),
        other: json,
      },
      { requiredKeys: [] },
    ),
    json,
  )
  .map((value) => JSON.stringify(value) ?? "null");

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The envelope rules applied to a parsed body: what it must parse to, or null if refused. */
function judge(input: unknown) {
  if (!isObject(input) || typeof input.event !== "string" || !EVENTS.includes(input.event)) {
    return null;
  }
  const [model, action] = input.event.split("::");
  const data = input.data;
  if (!isObject(data) || data.model !== model) return null;
  if (Object.hasOwn(data, "object") && typeof data.object !== "string") return null;
  let id: string;
  if (typeof data.id === "string" && data.id.trim() !== "") id = data.id.trim();
  else if (typeof data.id === "number") id = String(data.id);
  else return null;
  if (Object.hasOwn(data, "fields") ? !isObject(data.fields) : action !== "deleted") return null;
  const entries: Entries = [];
  for (const key of DATA_KEYS) {
    if (!Object.hasOwn(data, key)) continue;
    if (key === "id") entries.push(["id", id]);
    else if (key === "fields") entries.push(["fields", objectOf(Object.entries(data.fields!))]);
    else entries.push([key, data[key]]);
  }
  for (const key of Object.keys(data)) if (!DATA_KEYS.includes(key)) entries.push([key, data[key]]);
  return { event: input.event, data: objectOf(entries), model, action };
}

describe("parseEnvelope", () => {
  it("parses a valid envelope to its data in the schema's key order, the id a trimmed string", () => {
    fc.assert(
      fc.property(validEnvelope, (valid) => {
        const result = parseBody(bodyOf(new Written(valid.top)));
        const expected = expectedParse(valid);
        expect(result.success).toBe(true);
        expect(result.data).toEqual(expected);
        // Key order too: the content hash is taken over JSON.stringify(data).
        expect(JSON.stringify(result.data)).toBe(JSON.stringify(expected));
        expect(Object.getPrototypeOf(result.data!.data)).toBe(Object.prototype);
        if (result.data!.data.fields) {
          expect(Object.getPrototypeOf(result.data!.data.fields)).toBe(Object.prototype);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("refuses a valid envelope with one fault, naming where it is", () => {
    fc.assert(
      fc.property(validEnvelope, fault, (valid, f) => {
        const result = parseBody(bodyOf(f.apply(valid)));
        expect(result.success, f.name).toBe(false);
        const paths = result.error!.issues.map((issue) => issue.path.join("."));
        expect(paths, f.name).toContain(f.path);
      }),
      { numRuns: 1000 },
    );
  });

  it("agrees with the envelope rules on any body at all", () => {
    fc.assert(
      fc.property(anyBody, (body) => {
        const expected = judge(JSON.parse(body));
        const result = parseBody(body);
        expect(result.success).toBe(expected !== null);
        if (expected) expect(JSON.stringify(result.data)).toBe(JSON.stringify(expected));
      }),
      { numRuns: 2000 },
    );
  });

  it("reads the envelopes Morph sends and odd keys", () => {
    const cases: [string, unknown][] = [
      [
        '{"event":"crmEngagement::created","data":{"id":" 12 ","warnings":[],"zz":1,"fields":{"b":1,"a":2,"1":3},"model":"crmEngagement","object":"resource"}}',
        {
          event: "crmEngagement::created",
          data: {
            object: "resource",
            model: "crmEngagement",
            id: "12",
            fields: { 1: 3, b: 1, a: 2 },
            warnings: [],
            zz: 1,
          },
          model: "crmEngagement",
          action: "created",
        },
      ],
      [
        '{"event":"crmEngagement::deleted","data":{"object":"resource","model":"crmEngagement","id":5}}',
        {
          event: "crmEngagement::deleted",
          data: { object: "resource", model: "crmEngagement", id: "5" },
          model: "crmEngagement",
          action: "deleted",
        },
      ],
      [
        '{"event":"crmEngagement::created","data":{"model":"crmEngagement","id":"x","fields":{"__proto__":{"a":1},"b":2}}}',
        {
          event: "crmEngagement::created",
          data: { model: "crmEngagement", id: "x", fields: { b: 2 } },
          model: "crmEngagement",
          action: "created",
        },
      ],
      [
        '{"event":"crmEngagement::created","data":{"__proto__":{"a":1},"model":"crmEngagement","id":"x","fields":{}}}',
        {
          event: "crmEngagement::created",
          data: { model: "crmEngagement", id: "x", fields: {} },
          model: "crmEngagement",
          action: "created",
        },
      ],
      [
        '{"event":"crmEngagement::created","data":{"model":"genericUser","id":"x","fields":{}}}',
        "data.model",
      ],
      [
        '{"event":"crmEngagement::updated","data":{"model":"crmEngagement","id":"x"}}',
        "data.fields",
      ],
      [
        '{"event":"crmEngagement::created","data":{"model":"crmEngagement","id":"  ","fields":{}}}',
        "data.id",
      ],
    ];
    for (const [body, expected] of cases) {
      const result = parseBody(body);
      if (typeof expected === "string") {
        expect(result.success, body).toBe(false);
        expect(
          result.error!.issues.map((issue) => issue.path.join(".")),
          body,
        ).toContain(expected);
      } else {
        expect(result.data, body).toEqual(expected);
        expect(JSON.stringify(result.data), body).toBe(JSON.stringify(expected));
        expect(({} as Record<string, unknown>).a, "no prototype pollution").toBeUndefined();
      }
    }
  });
});
