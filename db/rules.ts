import { storeEngagementFields } from "./fields-codec";
import type { DeliveryFailure, EngagementChange } from "./types";

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

/** The API's error body for a failure: `{"error":{"code","message","details?"}}`. */
export function formatErrorBody({ code, message, details }: DeliveryFailure): string {
  return JSON.stringify({
    error: details === undefined ? { code, message } : { code, message, details },
  });
}

/** An accepted event answers with its own body, so the log keeps it once (as the body). */
export function readLoggedResponse(row: {
  responseBody: string | null;
  body: string | null;
  httpStatus: number;
}) {
  return row.responseBody ?? (row.httpStatus === 200 ? row.body : null);
}
