import fc from "fast-check";

/**
 * Arbitrary engagement `fields` for property tests: mostly as Morph sends them, with every
 * kind of odd value, reference shape, unknown key and key order mixed in.
 */

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
export const snapshotFields = fc
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
