import { DELETE_CHANGES, diffVersions, versionState } from "@/db/history";
import { buildEngagementColumns, decideChange, tombstoneOf, toOutcome } from "@/db/rules";
import type { EngagementChange, RecordChange } from "@/db/types";
import type { IngestStatements } from "./statements";

/** A version the change made: what it changed (JSON text) and its `data.updatedAt`. */
type NewVersion = { changes: string; updatedAt: number };

export type ApplyResult = {
  outcome: "applied" | "unchanged" | "stale";
  engagementId: number | null;
  /** Null when nothing compared changed (and for records): no version. */
  version: NewVersion | null;
};

type Scope = { connectorId: string; connectionOwnerId: string; receivedAt: number };

/** Carries out db/rules.ts for one change inside the delivery's transaction. */
export function applyChange(
  s: IngestStatements,
  change: EngagementChange | RecordChange,
  scope: Scope,
): ApplyResult {
  if (change.model === "crmEngagement") return applyEngagement(s, change, scope);
  return { outcome: applyRecord(s, change, scope), engagementId: null, version: null };
}

/** A string as SQLite gives it back: a lone surrogate is stored as U+FFFD. */
const asStored = (text: string | null) =>
  text === null || text.isWellFormed() ? text : text.toWellFormed();

/** The version a change leaves, compared with the stored one (none for an insert). */
function versionAfter(
  s: IngestStatements,
  change: EngagementChange,
  columns: ReturnType<typeof buildEngagementColumns>,
  stored: { id: number; deletedAt: number | null } | undefined,
): NewVersion | null {
  const previous = stored
    ? versionState(
        s.findState.get({ id: stored.id })!,
        s.findRefs(stored.id),
        stored.deletedAt !== null,
      )
    : null;
  const next = versionState(
    columns,
    change.snapshot?.normalized.refs ?? [],
    change.snapshot === null,
    asStored,
  );
  const changes = diffVersions(previous, next);
  return changes === null ? null : { changes, updatedAt: change.version };
}

/** Records the version a delivery made, once its log row has an id. */
export function writeVersion(
  s: IngestStatements,
  applied: ApplyResult,
  delivery: { id: number; receivedAt: number; event: string | null },
) {
  if (applied.version === null || applied.engagementId === null) return;
  s.insertVersion.run({
    engagementId: applied.engagementId,
    deliveryId: delivery.id,
    receivedAt: delivery.receivedAt,
    event: delivery.event,
    updatedAt: applied.version.updatedAt,
    changes: applied.version.changes,
  });
}

function applyEngagement(s: IngestStatements, change: EngagementChange, scope: Scope): ApplyResult {
  const identity = {
    connectorId: scope.connectorId,
    connectionOwnerId: scope.connectionOwnerId,
    externalId: change.externalId,
  };
  const stored = s.findEngagement.get(identity);
  // Expanded references carry their records: stored whatever happens to the engagement.
  for (const record of change.expanded) applyRecord(s, record, scope);
  const { snapshot, version } = change;
  const decision = decideChange(stored, version, snapshot);
  if (decision === "stale" || decision === "unchanged") {
    return { outcome: decision, engagementId: stored!.id, version: null };
  }
  if (!snapshot && decision === "update") {
    s.tombstoneEngagement.run(tombstoneOf(stored!, version, scope.receivedAt));
    // Deleting a tombstone again moves its version on and changes nothing compared.
    const deleted = stored!.deletedAt === null;
    return {
      outcome: "applied",
      engagementId: stored!.id,
      version: deleted ? { changes: DELETE_CHANGES, updatedAt: version } : null,
    };
  }
  const columns = buildEngagementColumns(change);
  // Read before the update overwrites it.
  const newVersion = versionAfter(s, change, columns, stored);
  const values = Object.assign(columns, {
    createdAt: change.createdAt,
    updatedAt: version,
    deletedAt: snapshot ? null : version,
    warnings: change.warnings,
    ingestedAt: scope.receivedAt,
  });
  let engagementId: number;
  if (decision === "insert") {
    engagementId = s.insertEngagement.get(Object.assign(values, identity))!.id;
  } else {
    engagementId = stored!.id;
    s.updateEngagement.run(Object.assign(values, { id: engagementId }));
    s.deleteRefs.run({ engagementId });
  }
  for (const ref of snapshot?.normalized.refs ?? []) {
    s.insertRef.run({
      engagementId,
      role: ref.role,
      refId: ref.refId,
      position: ref.position,
      startedAt: values.startedAt,
    });
  }
  return { outcome: toOutcome(decision), engagementId, version: newVersion };
}

function applyRecord(s: IngestStatements, change: RecordChange, scope: Scope) {
  const identity = {
    connectorId: scope.connectorId,
    connectionOwnerId: scope.connectionOwnerId,
    model: change.model,
    externalId: change.externalId,
  };
  const stored = s.findRecord.get(identity);
  const { snapshot, version } = change;
  if (snapshot) for (const nested of change.expanded) applyRecord(s, nested, scope);
  const decision = decideChange(stored, version, snapshot);
  if (decision === "stale" || decision === "unchanged") return decision;
  if (!snapshot && decision === "update") {
    s.tombstoneRecord.run(tombstoneOf(stored!, version, scope.receivedAt));
    return "applied";
  }
  const values = {
    name: snapshot?.name ?? null,
    email: snapshot?.email ?? null,
    phone: snapshot?.phone ?? null,
    fields: snapshot?.fields ?? {},
    warnings: change.warnings,
    createdAt: change.createdAt,
    updatedAt: version,
    deletedAt: snapshot ? null : version,
    contentHash: snapshot?.contentHash ?? "",
    ingestedAt: scope.receivedAt,
  };
  if (decision === "insert") s.insertRecord.run(Object.assign(values, identity));
  else s.updateRecord.run(Object.assign(values, { id: stored!.id }));
  return "applied";
}
