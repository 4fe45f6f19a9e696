import type { RefRole } from "./models";
import { ROLE } from "./roles";
import { iso, type ReadJson } from "./stored-values";
import type { FieldChange, HistoryEntry } from "./types";

/**
 * An engagement's history: each applied version stored as what it changed (CONTRACT
 * `history`). The rule is decided here once, for both engines' ingest, the bulk seeder and the
 * benchmark's raw floor; the upgrade migrations write the first version by the same rule in SQL.
 */

/** The fields a version compares, in the order the API lists them. */
export const HISTORY_FIELDS = [
  "type",
  "direction",
  "status",
  "title",
  "description",
  "startedAt",
  "endedAt",
  "duration",
  "owner",
  "users",
  "contacts",
  "companies",
  "opportunities",
  "deleted",
] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

const SCALARS = [
  "type",
  "direction",
  "status",
  "title",
  "description",
  "startedAt",
  "endedAt",
  "duration",
  "owner",
] as const;
const LISTS = ["users", "contacts", "companies", "opportunities"] as const;
const INSTANTS = new Set<HistoryField>(["startedAt", "endedAt"]);

/** One version's compared fields: instants as epoch ms, each reference list as sorted ids. */
export type VersionState = {
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  startedAt: number | null;
  endedAt: number | null;
  duration: number | null;
  owner: string | null;
  users: string[];
  contacts: string[];
  companies: string[];
  opportunities: string[];
  deleted: boolean;
};

/** What is stored of a version: `{field: [from, to]}` for each field that differs. */
export type StoredChanges = Partial<Record<HistoryField, [unknown, unknown]>>;

/** The engagement's columns a version compares, as both engines store them. */
export type VersionColumns = {
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  startedAt: number | null;
  endedAt: number | null;
  duration: number | null;
  ownerId: string | null;
};

const same = (text: string | null) => text;

/**
 * A version from stored columns and reference rows. `text` maps each string as the engine will
 * read it back (SQLite turns a lone surrogate into U+FFFD), so an equal redelivery compares equal.
 */
export function versionState(
  columns: VersionColumns,
  refs: readonly { role: RefRole; refId: string }[],
  deleted: boolean,
  text: (value: string | null) => string | null = same,
): VersionState {
  const state: VersionState = {
    type: text(columns.type),
    direction: text(columns.direction),
    status: text(columns.status),
    title: text(columns.title),
    description: text(columns.description),
    startedAt: columns.startedAt,
    endedAt: columns.endedAt,
    duration: columns.duration,
    owner: text(columns.ownerId),
    users: [],
    contacts: [],
    companies: [],
    opportunities: [],
    deleted,
  };
  for (const ref of refs) state[ROLE[ref.role].list].push(text(ref.refId)!);
  for (const list of LISTS) if (state[list].length > 1) state[list].sort();
  return state;
}

function sameIds(a: readonly string[], b: readonly string[]) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * What `next` changed, as the stored JSON text, or null when it changed nothing (not a version).
 * Against no previous version (the first), a field counts when it has a value: not null, not an
 * empty list, and `deleted` only when true.
 */
export function diffVersions(previous: VersionState | null, next: VersionState): string | null {
  let changes: StoredChanges | null = null;
  for (const field of SCALARS) {
    const from = previous === null ? null : previous[field];
    if (from !== next[field]) (changes ??= {})[field] = [from, next[field]];
  }
  for (const field of LISTS) {
    const to = next[field];
    const unchanged = previous === null ? to.length === 0 : sameIds(previous[field], to);
    if (!unchanged) (changes ??= {})[field] = [previous === null ? null : previous[field], to];
  }
  const wasDeleted = previous === null ? false : previous.deleted;
  if (wasDeleted !== next.deleted) {
    (changes ??= {}).deleted = [previous === null ? null : wasDeleted, next.deleted];
  }
  return changes === null ? null : JSON.stringify(changes);
}

/** What a delete of a live engagement changes: a tombstone keeps every other field. */
export const DELETE_CHANGES = JSON.stringify({ deleted: [false, true] } satisfies StoredChanges);

/** The columns a stored version is read with, by both engines. */
export const HISTORY_COLUMNS_SQL = "delivery_id, received_at, event, updated_at, changes";

/** A stored version as `history` shows it. */
export type HistoryRow = {
  delivery_id: number | null;
  received_at: number;
  event: string | null;
  updated_at: number;
  changes: unknown;
};

const shown = (field: HistoryField, value: unknown) =>
  INSTANTS.has(field) && typeof value === "number" ? iso(value) : value;

export function toHistoryEntry(row: HistoryRow, readJson: ReadJson): HistoryEntry {
  const stored = readJson<StoredChanges>(row.changes, {});
  const changes: FieldChange[] = [];
  for (const field of HISTORY_FIELDS) {
    const change = stored[field];
    if (change) changes.push({ field, from: shown(field, change[0]), to: shown(field, change[1]) });
  }
  return {
    deliveryId: row.delivery_id,
    receivedAt: iso(row.received_at)!,
    event: row.event,
    updatedAt: iso(row.updated_at)!,
    changes,
  };
}
