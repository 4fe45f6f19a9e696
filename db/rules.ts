import { storeEngagementFields } from "./fields-codec";
import type { DeliveryOutcome } from "./models";
import type { DeliveryError, DeliveryFailure, EngagementChange } from "./types";

/**
 * The rules every engine applies the same way, decided here once; each engine carries them out
 * atomically in its own SQL.
 */

/** What storage holds of a resource when a new version of it arrives. */
export type StoredVersion = { updatedAt: number; deletedAt: number | null; contentHash: string };
export type Decision = "insert" | "update" | "stale" | "unchanged";

/**
 * Which snapshot wins. Every event is a full snapshot versioned by `data.updatedAt`; the newest
 * wins, an older one is stale. A tombstone wins a tie, so an event no newer than the delete
 * never brings a record back.
 */
export function decideSnapshot(
  stored: StoredVersion | undefined,
  version: number,
  hash: string,
): Decision {
  if (!stored) return "insert";
  if (stored.deletedAt !== null && version <= stored.updatedAt) return "stale";
  if (version < stored.updatedAt) return "stale";
  if (stored.deletedAt === null && stored.contentHash === hash) return "unchanged";
  return "update";
}

/** A delete of something never seen still leaves a tombstone, so a late older create stays dead. */
export function decideDelete(stored: StoredVersion | undefined, version: number): Decision {
  if (!stored) return "insert";
  if (version < stored.updatedAt) return "stale";
  if (stored.deletedAt !== null && version === stored.updatedAt) return "unchanged";
  return "update";
}

/** A snapshot (with its content hash) or a delete (null) against what is stored. */
export function decideChange(
  stored: StoredVersion | undefined,
  version: number,
  snapshot: { contentHash: string } | null,
): Decision {
  return snapshot
    ? decideSnapshot(stored, version, snapshot.contentHash)
    : decideDelete(stored, version);
}

export function toOutcome(decision: Decision): "applied" | "unchanged" | "stale" {
  return decision === "insert" || decision === "update" ? "applied" : decision;
}

/** A tombstone keeps the first delete's time; its version moves on. */
export function keepDeletedAt(stored: StoredVersion, version: number) {
  return stored.deletedAt ?? version;
}

/** What a delete of a stored row writes. */
export function tombstoneOf(
  stored: StoredVersion & { id: number },
  version: number,
  receivedAt: number,
) {
  return {
    id: stored.id,
    deletedAt: keepDeletedAt(stored, version),
    updatedAt: version,
    ingestedAt: receivedAt,
  };
}

/** The typed columns of an engagement snapshot; sorting and date filters use `startedAt`. */
export function buildEngagementColumns(change: EngagementChange) {
  const snapshot = change.snapshot;
  if (!snapshot) {
    return {
      type: null,
      direction: null,
      status: null,
      title: null,
      description: null,
      startedAt: change.version,
      endedAt: null,
      duration: null,
      ownerId: null,
      fields: {},
      contentHash: "",
    };
  }
  const n = snapshot.normalized;
  return {
    type: n.type,
    direction: n.direction,
    status: n.status,
    title: n.title,
    description: n.description,
    startedAt: n.startedAt ?? change.createdAt ?? change.version,
    endedAt: n.endedAt,
    duration: n.duration,
    ownerId: n.ownerId,
    fields: storeEngagementFields(snapshot.fields, n),
    contentHash: snapshot.contentHash,
  };
}

/** What a key binds: a repeat with the same body replays the first answer; another body is a 409. */
export function classifyKeyReuse(
  boundBodyHash: string,
  bodyHash: string,
): "duplicate" | "conflict" {
  return boundBodyHash === bodyHash ? "duplicate" : "conflict";
}

export function describeConflict(
  idempotencyKey: string,
  originalDeliveryId: number,
): DeliveryFailure {
  return {
    status: 409,
    code: "idempotency_conflict",
    message: `Idempotency key "${idempotencyKey}" was already used with a different body.`,
    details: { originalDeliveryId },
  };
}

/** What a delivery's log row records of its answer; each engine writes it in its own SQL. */
export type LogEntry = {
  outcome: DeliveryOutcome;
  status: number;
  responseBody: string | null;
  error: DeliveryError | null;
  warnings: string[];
  engagementId: number | null;
  originalDeliveryId: number | null;
};

export const NO_WARNINGS: string[] = [];

/** Processing time in fractions of a millisecond: reading the body, then storing it. */
export function elapsedMs(readMs: number, started: number): number {
  return readMs + performance.now() - started;
}

/** The error as the log keeps it: code, message and details only, in that order. */
export function errorOf({ code, message, details }: DeliveryError): DeliveryError {
  return details === undefined ? { code, message } : { code, message, details };
}

/** What a key's binding stored: the first delivery's answer. */
export type BoundKey = {
  bodyHash: string;
  deliveryId: number;
  responseStatus: number;
  responseBody: string;
};

export const KEY_REUSED_WARNING = "idempotency key reused for another resource";

/** The resource a key binds to; '' for a delivery that names none (a refused envelope). */
export function keyResource(about: { model: string | null; resourceId: string | null }) {
  return { model: about.model ?? "", resourceId: about.resourceId ?? "" };
}

/** What storage found of a delivery's key: its binding for this resource, and any for others. */
export type KeyLookup = { bound: BoundKey | null; boundElsewhere: boolean };

/**
 * A key binds per resource (SPEC §2): bound to this resource, the delivery is answered by the
 * binding (replay or 409). Bound only to other resources, it is a sender's mistake (keys built
 * with no record id): refusing it would drop a real event, so it is applied as its own delivery,
 * with a warning, and binds again for its resource.
 */
export function decideKey(
  lookup: KeyLookup,
  delivery: { bodyHash: string; idempotencyKey: string; warnings: string[] },
):
  | { kind: "answer"; bound: BoundKey; entry: LogEntry & { responseBody: string } }
  | { kind: "apply"; warnings: string[] } {
  const { bound } = lookup;
  if (bound) return { kind: "answer", bound, entry: answerForBoundKey(bound, delivery) };
  const warnings = lookup.boundElsewhere
    ? [...delivery.warnings, KEY_REUSED_WARNING]
    : delivery.warnings;
  return { kind: "apply", warnings };
}

/**
 * The answer to a delivery whose key is already bound (`bound` is what the key stored): the
 * same body replays the first answer, another body is a 409 that names the first delivery.
 */
export function answerForBoundKey(
  bound: BoundKey,
  delivery: { bodyHash: string; idempotencyKey: string },
): LogEntry & { responseBody: string } {
  const reuse = classifyKeyReuse(bound.bodyHash, delivery.bodyHash);
  const failure =
    reuse === "conflict" ? describeConflict(delivery.idempotencyKey, bound.deliveryId) : null;
  return {
    outcome: reuse,
    status: failure ? failure.status : bound.responseStatus,
    responseBody: failure ? formatErrorBody(failure) : bound.responseBody,
    error: failure && errorOf(failure),
    warnings: NO_WARNINGS,
    engagementId: null,
    originalDeliveryId: bound.deliveryId,
  };
}

/** The API's error body for a failure: `{"error":{"code","message","details?"}}`. */
export function formatErrorBody(failure: DeliveryFailure): string {
  return JSON.stringify({ error: errorOf(failure) });
}

/** An accepted event answers with its own body, so the log keeps it once (as the body). */
export function readLoggedResponse(row: {
  responseBody: string | null;
  body: string | null;
  httpStatus: number;
}) {
  return row.responseBody ?? (row.httpStatus === 200 ? row.body : null);
}
