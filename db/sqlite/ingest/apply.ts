import { buildEngagementColumns, decideChange, tombstoneOf, toOutcome } from "@/db/rules";
import type { EngagementChange, RecordChange } from "@/db/types";
import type { IngestStatements } from "./statements";

export type ApplyResult = {
  outcome: "applied" | "unchanged" | "stale";
  engagementId: number | null;
};

type Scope = { connectorId: string; connectionOwnerId: string; receivedAt: number };

/** Carries out db/rules.ts for one change inside the delivery's transaction. */
export function applyChange(
  s: IngestStatements,
  change: EngagementChange | RecordChange,
  scope: Scope,
): ApplyResult {
  if (change.model === "crmEngagement") return applyEngagement(s, change, scope);
  return { outcome: applyRecord(s, change, scope), engagementId: null };
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
    return { outcome: decision, engagementId: stored!.id };
  }
  if (!snapshot && decision === "update") {
    s.tombstoneEngagement.run(tombstoneOf(stored!, version, scope.receivedAt));
    return { outcome: "applied", engagementId: stored!.id };
  }
  const values = Object.assign(buildEngagementColumns(change), {
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
  return { outcome: toOutcome(decision), engagementId };
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
