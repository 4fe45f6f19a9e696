import { createHash } from "node:crypto";
import type { RecordModel } from "@/db/schema";
import {
  engagementColumns,
  normalizeEngagementFields,
  normalizeRecordFields,
  parseTimestamp,
  type ExpandedRecord,
} from "@/lib/morph/fields";
import type { MorphEvent } from "@/lib/morph/schemas";
import type { IngestStatements } from "./statements";

export type ApplyOutcome = "applied" | "unchanged" | "stale";
export type ApplyResult = {
  outcome: ApplyOutcome;
  engagementId: number | null;
  warnings: string[];
};

type Stored = { id: number; updatedAt: number; deletedAt: number | null; contentHash: string };
type Decision = "insert" | "update" | "stale" | "unchanged";

/**
 * Which snapshot wins. Every event is a full snapshot versioned by `data.updatedAt`; the newest
 * wins, an older one is stale. A tombstone wins a tie, so an event no newer than the delete
 * never brings a record back.
 */
export function decideSnapshot(
  stored: Stored | undefined,
  version: number,
  hash: string,
): Decision {
  if (!stored) return "insert";
  if (stored.deletedAt !== null && version <= stored.updatedAt) return "stale";
  if (version < stored.updatedAt) return "stale";
  if (stored.deletedAt === null && stored.contentHash === hash) return "unchanged";
  return "update";
}

export function decideDelete(stored: Stored | undefined, version: number): Decision {
  if (!stored) return "insert";
  if (version < stored.updatedAt) return "stale";
  if (stored.deletedAt !== null && version === stored.updatedAt) return "unchanged";
  return "update";
}

function hashOf(value: unknown) {
  return createHash("sha256").update(JSON.stringify(value)).digest("base64url");
}

type Scope = { connectorId: string; connectionOwnerId: string; receivedAt: number };

/** `data.updatedAt` as the snapshot's version; without a usable one, the time it arrived. */
function versionOf(updatedAt: unknown, scope: Scope, warnings: string[]) {
  const version = parseTimestamp(updatedAt);
  if (version !== null) return version;
  if (updatedAt !== undefined && updatedAt !== null) {
    warnings.push(
      `data.updatedAt: not an ISO 8601 date: ${JSON.stringify(updatedAt)}; used receipt time`,
    );
  }
  return scope.receivedAt;
}

function toOutcome(decision: Decision): ApplyOutcome {
  return decision === "insert" || decision === "update" ? "applied" : decision;
}

export function applyEvent(s: IngestStatements, event: MorphEvent, scope: Scope): ApplyResult {
  return event.model === "crmEngagement"
    ? applyEngagement(s, event, scope)
    : applyRecord(
        s,
        {
          model: event.model,
          id: event.data.id,
          fields: event.data.fields,
          createdAt: event.data.createdAt,
          updatedAt: event.data.updatedAt,
          deleted: event.action === "deleted",
        },
        scope,
      );
}

function applyEngagement(s: IngestStatements, event: MorphEvent, scope: Scope): ApplyResult {
  const { data } = event;
  const warnings: string[] = [];
  const version = versionOf(data.updatedAt, scope, warnings);
  const identity = {
    connectorId: scope.connectorId,
    connectionOwnerId: scope.connectionOwnerId,
    externalId: data.id,
  };
  const stored = s.findEngagement.get(identity);

  if (event.action === "deleted") {
    const decision = decideDelete(stored, version);
    if (decision === "insert") {
      // A delete for a record we never saw still leaves a tombstone, so an older create arriving late stays dead.
      const row = s.insertEngagement.get(
        Object.assign(identity, EMPTY_ENGAGEMENT, {
          startedAt: version,
          createdAt: parseTimestamp(data.createdAt),
          updatedAt: version,
          deletedAt: version,
          fields: {},
          warnings,
          contentHash: "",
          ingestedAt: scope.receivedAt,
        }),
      )!;
      return { outcome: "applied", engagementId: row.id, warnings };
    }
    if (decision === "update") {
      s.tombstoneEngagement.run({
        id: stored!.id,
        deletedAt: stored!.deletedAt ?? version,
        updatedAt: version,
        ingestedAt: scope.receivedAt,
      });
    }
    return { outcome: toOutcome(decision), engagementId: stored!.id, warnings };
  }

  const fields = data.fields ?? {};
  const normalized = normalizeEngagementFields(fields);
  warnings.push(...normalized.warnings);
  const contentHash = hashOf(data);
  const decision = decideSnapshot(stored, version, contentHash);

  // Expanded references carry the referenced records: store them whatever happens to the engagement.
  for (const record of normalized.expanded) applyRecord(s, snapshotOf(record), scope);
  if (decision === "stale" || decision === "unchanged") {
    return { outcome: decision, engagementId: stored!.id, warnings };
  }

  const createdAt = parseTimestamp(data.createdAt);
  const startedAt = normalized.startedAt ?? createdAt ?? version;
  // Parameters are assigned onto one object rather than spread into a literal that adds keys:
  // V8 builds that literal's hidden classes anew on every call (tens of µs per delivery).
  const values = Object.assign(engagementColumns(normalized, fields), {
    startedAt,
    createdAt,
    updatedAt: version,
    deletedAt: null,
    warnings,
    contentHash,
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
  for (const ref of normalized.refs) {
    s.insertRef.run({
      engagementId,
      role: ref.role,
      refId: ref.refId,
      position: ref.position,
      startedAt,
    });
  }
  return { outcome: "applied", engagementId, warnings };
}

const EMPTY_ENGAGEMENT = {
  type: null,
  direction: null,
  status: null,
  title: null,
  description: null,
  endedAt: null,
  duration: null,
  ownerId: null,
};

type RecordSnapshot = Omit<ExpandedRecord, "fields"> & {
  fields: Record<string, unknown> | undefined;
  deleted: boolean;
};

function snapshotOf(record: ExpandedRecord): RecordSnapshot {
  const { model, id, fields, createdAt, updatedAt } = record;
  return { model, id, fields, createdAt, updatedAt, deleted: false };
}

function applyRecord(s: IngestStatements, record: RecordSnapshot, scope: Scope): ApplyResult {
  const warnings: string[] = [];
  const version = versionOf(record.updatedAt, scope, warnings);
  const identity = {
    connectorId: scope.connectorId,
    connectionOwnerId: scope.connectionOwnerId,
    model: record.model as RecordModel,
    externalId: record.id,
  };
  const stored = s.findRecord.get(identity);

  if (record.deleted) {
    const decision = decideDelete(stored, version);
    if (decision === "insert") {
      s.insertRecord.run({
        connectorId: identity.connectorId,
        connectionOwnerId: identity.connectionOwnerId,
        model: identity.model,
        externalId: identity.externalId,
        name: null,
        email: null,
        phone: null,
        fields: {},
        warnings,
        createdAt: parseTimestamp(record.createdAt),
        updatedAt: version,
        deletedAt: version,
        contentHash: "",
        ingestedAt: scope.receivedAt,
      });
    } else if (decision === "update") {
      s.tombstoneRecord.run({
        id: stored!.id,
        deletedAt: stored!.deletedAt ?? version,
        updatedAt: version,
        ingestedAt: scope.receivedAt,
      });
    }
    return { outcome: toOutcome(decision), engagementId: null, warnings };
  }

  const fields = record.fields ?? {};
  const normalized = normalizeRecordFields(identity.model, fields);
  warnings.push(...normalized.warnings);
  const contentHash = hashOf([fields, record.createdAt, record.updatedAt]);
  const decision = decideSnapshot(stored, version, contentHash);
  for (const nested of normalized.expanded) applyRecord(s, snapshotOf(nested), scope);
  if (decision === "stale" || decision === "unchanged") {
    return { outcome: decision, engagementId: null, warnings };
  }
  const values = {
    name: normalized.name,
    email: normalized.email,
    phone: normalized.phone,
    fields,
    warnings,
    createdAt: parseTimestamp(record.createdAt),
    updatedAt: version,
    deletedAt: null,
    contentHash,
    ingestedAt: scope.receivedAt,
  };
  if (decision === "insert") s.insertRecord.run(Object.assign(values, identity));
  else s.updateRecord.run(Object.assign(values, { id: stored!.id }));
  return { outcome: "applied", engagementId: null, warnings };
}
