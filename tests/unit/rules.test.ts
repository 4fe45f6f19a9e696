import { describe, expect, it } from "vitest";
import {
  answerForBoundKey,
  buildEngagementColumns,
  classifyKeyReuse,
  decideDelete,
  decideKey,
  decideSnapshot,
  describeConflict,
  formatErrorBody,
  keepDeletedAt,
  KEY_REUSED_WARNING,
  keyResource,
  readLoggedResponse,
  toOutcome,
} from "@/db/rules";
import type { EngagementChange } from "@/db/types";

const live = { updatedAt: 100, deletedAt: null, contentHash: "h1" };
const tombstone = { updatedAt: 100, deletedAt: 90, contentHash: "h1" };

describe("which snapshot wins", () => {
  it("inserts what was never seen, and takes a newer version", () => {
    expect(decideSnapshot(undefined, 5, "h")).toBe("insert");
    expect(decideSnapshot(live, 101, "h2")).toBe("update");
  });
  it("calls an older version stale and the same content unchanged", () => {
    expect(decideSnapshot(live, 99, "h2")).toBe("stale");
    expect(decideSnapshot(live, 100, "h1")).toBe("unchanged");
    expect(decideSnapshot(live, 150, "h1")).toBe("unchanged");
    expect(decideSnapshot(live, 100, "h2")).toBe("update");
  });
  it("lets a tombstone win a tie, and only a newer snapshot bring a record back", () => {
    expect(decideSnapshot(tombstone, 100, "h2")).toBe("stale");
    expect(decideSnapshot(tombstone, 100, "h1")).toBe("stale");
    expect(decideSnapshot(tombstone, 101, "h1")).toBe("update");
  });
});

describe("deletes", () => {
  it("leave a tombstone for what was never seen", () => {
    expect(decideDelete(undefined, 5)).toBe("insert");
  });
  it("are stale when older, unchanged when repeated, else applied", () => {
    expect(decideDelete(live, 99)).toBe("stale");
    expect(decideDelete(live, 100)).toBe("update");
    expect(decideDelete(tombstone, 100)).toBe("unchanged");
    expect(decideDelete(tombstone, 120)).toBe("update");
  });
  it("keep the first delete's time", () => {
    expect(keepDeletedAt(tombstone, 120)).toBe(90);
    expect(keepDeletedAt(live, 120)).toBe(120);
  });
  it("map decisions to outcomes", () => {
    expect(["insert", "update", "stale", "unchanged"].map((d) => toOutcome(d as never))).toEqual([
      "applied",
      "applied",
      "stale",
      "unchanged",
    ]);
  });
});

describe("what a key binds", () => {
  it("replays the same body and refuses another with a 409 naming the original", () => {
    expect(classifyKeyReuse("abc", "abc")).toBe("duplicate");
    expect(classifyKeyReuse("abc", "abd")).toBe("conflict");
    const conflict = describeConflict("k-1", 7);
    expect(conflict).toEqual({
      status: 409,
      code: "idempotency_conflict",
      message: 'Idempotency key "k-1" was already used with a different body.',
      details: { originalDeliveryId: 7 },
    });
    expect(JSON.parse(formatErrorBody(conflict))).toEqual({
      error: {
        code: "idempotency_conflict",
        message: conflict.message,
        details: { originalDeliveryId: 7 },
      },
    });
  });
  it("answers a bound key: the first answer replayed, or a 409 logged against the original", () => {
    const bound = { bodyHash: "h1", deliveryId: 7, responseStatus: 200, responseBody: '{"ok":1}' };
    expect(answerForBoundKey(bound, { bodyHash: "h1", idempotencyKey: "k-1" })).toEqual({
      outcome: "duplicate",
      status: 200,
      responseBody: '{"ok":1}',
      error: null,
      warnings: [],
      engagementId: null,
      originalDeliveryId: 7,
    });
    const conflict = answerForBoundKey(bound, { bodyHash: "h2", idempotencyKey: "k-1" });
    expect(conflict).toMatchObject({ outcome: "conflict", status: 409, originalDeliveryId: 7 });
    expect(conflict.responseBody).toBe(formatErrorBody(describeConflict("k-1", 7)));
    expect(conflict.error).toEqual({
      code: "idempotency_conflict",
      message: 'Idempotency key "k-1" was already used with a different body.',
      details: { originalDeliveryId: 7 },
    });
  });

  it("binds per resource: bound here answers, bound only elsewhere applies with a warning", () => {
    const bound = { bodyHash: "h1", deliveryId: 7, responseStatus: 200, responseBody: "{}" };
    const delivery = { bodyHash: "h1", idempotencyKey: "k-1", warnings: ["fields.type"] };
    expect(decideKey({ bound, boundElsewhere: true }, delivery)).toMatchObject({
      kind: "answer",
      bound,
      entry: { outcome: "duplicate", originalDeliveryId: 7 },
    });
    expect(decideKey({ bound: null, boundElsewhere: true }, delivery)).toEqual({
      kind: "apply",
      warnings: ["fields.type", KEY_REUSED_WARNING],
    });
    expect(decideKey({ bound: null, boundElsewhere: false }, delivery)).toEqual({
      kind: "apply",
      warnings: ["fields.type"],
    });
    expect(keyResource({ model: null, resourceId: null })).toEqual({ model: "", resourceId: "" });
  });

  it("answers an accepted event with its own body, kept once", () => {
    expect(readLoggedResponse({ responseBody: null, body: "{}", httpStatus: 200 })).toBe("{}");
    expect(readLoggedResponse({ responseBody: "e", body: "{}", httpStatus: 409 })).toBe("e");
    expect(readLoggedResponse({ responseBody: null, body: "{}", httpStatus: 400 })).toBeNull();
  });
});

describe("stored columns", () => {
  const change = (snapshot: EngagementChange["snapshot"]): EngagementChange => ({
    model: "crmEngagement",
    externalId: "e1",
    version: 300,
    createdAt: 200,
    snapshot,
    expanded: [],
    warnings: [],
  });
  const normalized = {
    type: "call",
    direction: null,
    status: null,
    title: "Hi",
    description: null,
    startedAt: null,
    endedAt: null,
    duration: null,
    ownerId: null,
    refs: [],
    warnings: [],
  };
  it("sort by startedAt, else createdAt, else the version", () => {
    const fields = { type: "call", title: "Hi", extra: 1 };
    const built = buildEngagementColumns(change({ normalized, fields, contentHash: "c" }));
    expect(built.startedAt).toBe(200);
    expect(built.fields).toEqual(["tT.", { extra: 1 }]);
    expect(built.contentHash).toBe("c");
    expect(
      buildEngagementColumns({
        ...change({ normalized, fields, contentHash: "c" }),
        createdAt: null,
      }).startedAt,
    ).toBe(300);
  });
  it("make a bare tombstone of a delete", () => {
    expect(buildEngagementColumns(change(null))).toMatchObject({
      type: null,
      startedAt: 300,
      fields: {},
      contentHash: "",
    });
  });
});
