import {
  DELETE_CHANGES,
  diffVersions,
  versionState,
  type VersionColumns,
  type VersionState,
} from "@/db/history";
import type { RecordModel, RefRole } from "@/db/models";
import {
  buildEngagementColumns,
  decideChange,
  tombstoneOf,
  toOutcome,
  type StoredVersion,
} from "@/db/rules";
import type { EngagementChange, EngagementRefRow, RecordChange } from "@/db/types";
import { pgJson, pgText, pgWholeNumber } from "./pg-values";
import type { Params, WriteKind } from "./statements";

/**
 * Carries out db/rules.ts for one change against the rows the claim locked: every decision is
 * made here, in order, as SQLite makes them one statement at a time, and what they write is
 * gathered into the parameters of one `WRITE` statement.
 */

export type Stored = StoredVersion & { id: number };
export type LockedRecord = Stored & { model: RecordModel; externalId: string };
/**
 * The stored engagement, with the version it holds: its compared columns, and its references
 * once read for an update (stored-refs.ts).
 */
export type LockedEngagement = Stored &
  VersionColumns & { refs?: { role: RefRole; refId: string }[] };
export type Locked = { engagement: LockedEngagement | null; records: LockedRecord[] };

type Outcome = "applied" | "unchanged" | "stale";

export type WritePlan = {
  kind: WriteKind;
  outcome: Outcome;
  engagementId: number | null;
  params: Params;
  /** How many records `params` inserts: fewer went in when a concurrent writer got there first. */
  recordInserts: number;
};

/** One record's write, as `json_to_recordset` in statements.ts reads it. */
type RecordWrite = {
  op: "insert" | "update" | "tombstone";
  id: number | null;
  model: RecordModel;
  external_id: string;
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  fields?: Record<string, unknown>;
  warnings?: string[];
  created_at?: number | null;
  updated_at: number;
  deleted_at: number | null;
  content_hash?: string;
  ingested_at: number;
};

const identityOf = (model: string, externalId: string) => `${model}\n${externalId}`;

/** The records a change reads (itself if it is one, and every record it carries), once each. */
export function recordsTouched(change: EngagementChange | RecordChange) {
  const seen = new Set<string>();
  const models: string[] = [];
  const ids: string[] = [];
  const visit = (record: RecordChange) => {
    const externalId = pgText(record.externalId);
    const key = identityOf(record.model, externalId);
    if (!seen.has(key)) {
      seen.add(key);
      models.push(record.model);
      ids.push(externalId);
    }
    record.expanded.forEach(visit);
  };
  if (change.model === "crmEngagement") change.expanded.forEach(visit);
  else visit(change);
  return { models, ids };
}

/**
 * Record decisions in delivery order. A record met twice (carried by two references) is decided
 * against its first write, and the two writes become one, as one statement writes a row once.
 */
type RecordPlan = {
  stored: Map<string, Stored>;
  writes: Map<string, RecordWrite>;
  receivedAt: number;
};

function startRecordPlan(locked: LockedRecord[], receivedAt: number): RecordPlan {
  const stored = new Map<string, Stored>();
  for (const row of locked) stored.set(identityOf(row.model, row.externalId), row);
  return { stored, writes: new Map(), receivedAt };
}

/** A snapshot's (or a first delete's) whole row. */
function recordRow(
  change: RecordChange,
  was: Stored | undefined,
  insert: boolean,
  at: number,
): RecordWrite {
  const { snapshot, version } = change;
  return {
    op: insert ? "insert" : "update",
    id: was?.id ?? null,
    model: change.model,
    external_id: pgText(change.externalId),
    name: snapshot?.name ?? null,
    email: snapshot?.email ?? null,
    phone: snapshot?.phone ?? null,
    fields: snapshot?.fields ?? {},
    warnings: change.warnings,
    created_at: change.createdAt,
    updated_at: version,
    deleted_at: snapshot ? null : version,
    content_hash: snapshot?.contentHash ?? "",
    ingested_at: at,
  };
}

/** A delete of a stored record: its tombstone, folded into a write planned before, if any. */
function planTombstone(plan: RecordPlan, key: string, change: RecordChange, was: Stored) {
  const t = tombstoneOf(was, change.version, plan.receivedAt);
  const times = { deleted_at: t.deletedAt, updated_at: t.updatedAt, ingested_at: t.ingestedAt };
  const pending = plan.writes.get(key);
  if (pending) Object.assign(pending, times);
  else {
    const external_id = pgText(change.externalId);
    plan.writes.set(key, { op: "tombstone", id: t.id, model: change.model, external_id, ...times });
  }
  plan.stored.set(key, { ...was, deletedAt: t.deletedAt, updatedAt: t.updatedAt });
}

function planRecord(plan: RecordPlan, change: RecordChange): Outcome {
  const { snapshot, version } = change;
  const key = identityOf(change.model, pgText(change.externalId));
  if (snapshot) for (const nested of change.expanded) planRecord(plan, nested);
  const was = plan.stored.get(key);
  const decision = decideChange(was, version, snapshot);
  if (decision === "stale" || decision === "unchanged") return decision;
  if (!snapshot && decision === "update") {
    planTombstone(plan, key, change, was!);
    return "applied";
  }
  const insert = decision === "insert" || plan.writes.get(key)?.op === "insert";
  const row = recordRow(change, was, insert, plan.receivedAt);
  plan.writes.set(key, row);
  plan.stored.set(key, {
    id: was?.id ?? 0,
    updatedAt: version,
    deletedAt: row.deleted_at,
    contentHash: row.content_hash!,
  });
  return "applied";
}

/** The planned record writes as `WRITE`'s `@records`, and how many of them insert. */
function recordParams(plan: RecordPlan) {
  const writes = [...plan.writes.values()];
  return {
    params: { records: pgJson(writes) },
    recordInserts: writes.filter((write) => write.op === "insert").length,
  };
}

/** The references as three arrays for `unnest`, each (role, id) once. */
function refArrays(refs: readonly EngagementRefRow[]) {
  const seen = new Set<string>();
  const refRoles: RefRole[] = [];
  const refIds: string[] = [];
  const refPositions: number[] = [];
  for (const ref of refs) {
    const refId = pgText(ref.refId);
    const key = `${ref.role}\n${refId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refRoles.push(ref.role);
    refIds.push(refId);
    refPositions.push(ref.position);
  }
  return { refRoles, refIds, refPositions };
}

/** The version the write statement's parameters leave (as PostgreSQL will hold it). */
function versionOfParams(params: ReturnType<typeof engagementParams>): VersionState {
  const refs = params.refIds.map((refId, i) => ({ role: params.refRoles[i]!, refId }));
  return versionState(params, refs, params.deletedAt !== null);
}

function storedVersion(stored: LockedEngagement) {
  if (!stored.refs) throw new Error("the stored references were not read for this update");
  return versionState(stored, stored.refs, stored.deletedAt !== null);
}

/** Whether the change rewrites the stored engagement with a snapshot (and so compares with it). */
export function updatesStored(change: EngagementChange, stored: Stored) {
  return (
    change.snapshot !== null && decideChange(stored, change.version, change.snapshot) === "update"
  );
}

/** The engagement's columns as the write statement takes them. */
function engagementParams(change: EngagementChange, receivedAt: number) {
  const columns = buildEngagementColumns(change);
  const { snapshot, version } = change;
  return {
    externalId: pgText(change.externalId),
    type: pgText(columns.type),
    direction: pgText(columns.direction),
    status: pgText(columns.status),
    title: pgText(columns.title),
    description: pgText(columns.description),
    startedAt: columns.startedAt,
    endedAt: columns.endedAt,
    duration: pgWholeNumber(columns.duration),
    ownerId: pgText(columns.ownerId),
    createdAt: change.createdAt,
    updatedAt: version,
    deletedAt: snapshot ? null : version,
    fields: pgJson(columns.fields),
    contentHash: columns.contentHash,
    ingestedAt: receivedAt,
    ...refArrays(snapshot?.normalized.refs ?? []),
  };
}

/**
 * `INSERT_NEW`'s parameters for an engagement that is new, or null when the change needs the
 * rows it touches read first (it carries records). With nothing stored, db/rules.ts decides
 * an insert, whatever the snapshot.
 */
export function planNewEngagement(change: EngagementChange, receivedAt: number) {
  if (change.expanded.length > 0) return null;
  const decision = decideChange(undefined, change.version, change.snapshot);
  if (decision !== "insert") return null;
  const params = engagementParams(change, receivedAt);
  const historyChanges = diffVersions(null, versionOfParams(params));
  return { outcome: toOutcome(decision), params: { ...params, historyChanges } };
}

export function planEngagement(
  change: EngagementChange,
  receivedAt: number,
  locked: Locked,
): WritePlan {
  const records = startRecordPlan(locked.records, receivedAt);
  const stored = locked.engagement ?? undefined;
  // Expanded references carry their records: stored whatever happens to the engagement.
  for (const record of change.expanded) planRecord(records, record);
  const { params, recordInserts } = recordParams(records);
  const { snapshot, version } = change;
  const decision = decideChange(stored, version, snapshot);
  if (decision === "stale" || decision === "unchanged") {
    return { kind: "none", outcome: decision, engagementId: stored!.id, params, recordInserts };
  }
  if (!snapshot && decision === "update") {
    const { id, ...tombstone } = tombstoneOf(stored!, version, receivedAt);
    // Deleting a tombstone again moves its version on and changes nothing compared.
    const historyChanges = stored!.deletedAt === null ? DELETE_CHANGES : null;
    const tombstoneParams = { ...params, ...tombstone, engagementId: id, historyChanges };
    return {
      kind: "tombstone",
      outcome: "applied",
      engagementId: id,
      params: tombstoneParams,
      recordInserts,
    };
  }
  const engagementId = stored?.id ?? null;
  const written = engagementParams(change, receivedAt);
  const historyChanges = diffVersions(
    stored ? storedVersion(stored) : null,
    versionOfParams(written),
  );
  return {
    kind: decision,
    outcome: toOutcome(decision),
    engagementId,
    params: { ...params, ...written, engagementId, historyChanges },
    recordInserts,
  };
}

export function planRecordChange(
  change: RecordChange,
  receivedAt: number,
  locked: Locked,
): WritePlan {
  const records = startRecordPlan(locked.records, receivedAt);
  const outcome = planRecord(records, change);
  const { params, recordInserts } = recordParams(records);
  return { kind: "none", outcome, engagementId: null, params, recordInserts };
}
