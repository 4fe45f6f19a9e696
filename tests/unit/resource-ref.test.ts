import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asResourceRef } from "@/lib/morph/fields";
import { resourceRefSchema } from "@/lib/morph/schemas";

const refLike = fc.record(
  {
    object: fc.oneof(fc.constantFrom("resourceRef", "resource", "other"), fc.jsonValue()),
    model: fc.oneof(fc.constantFrom("genericContact", ""), fc.jsonValue()),
    id: fc.oneof(
      fc.constantFrom("9001", " 7 ", "", "  "),
      fc.integer(),
      fc.double(),
      fc.jsonValue(),
    ),
    fields: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
    createdAt: fc.jsonValue(),
    updatedAt: fc.jsonValue(),
  },
  { requiredKeys: [] },
);

describe("asResourceRef", () => {
  it("answers exactly as the zod schema it stands in for", () => {
    fc.assert(
      fc.property(fc.oneof(refLike, fc.jsonValue()), (value) => {
        const parsed = resourceRefSchema.safeParse(value);
        expect(asResourceRef(value)).toEqual(parsed.success ? parsed.data : null);
      }),
      { numRuns: 2000 },
    );
  });

  it("reads a bare and an expanded reference", () => {
    expect(asResourceRef({ object: "resourceRef", model: "genericUser", id: 501 })).toEqual({
      object: "resourceRef",
      model: "genericUser",
      id: "501",
    });
    expect(
      asResourceRef({ model: "genericContact", id: "9004", fields: { firstName: "Priya" } }),
    ).toEqual({
      model: "genericContact",
      id: "9004",
      fields: { firstName: "Priya" },
    });
    expect(asResourceRef({ model: "genericContact" })).toBeNull();
  });
});
