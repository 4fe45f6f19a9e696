import type { RecordModel } from "./models";
import { iso, type ReadJson } from "./stored-values";
import type { RecordSuggestion, RecordView } from "./types";

/** Users, contacts, companies and opportunities as every engine reads them back. */

/** A records row as stored; `fields` and `warnings` are text on SQLite, parsed on PostgreSQL. */
export type StoredRecordRow = {
  model: RecordModel;
  external_id: string;
  connector_id: string;
  connection_owner_id: string;
  name: string | null;
  email: string | null;
  phone: string | null;
  fields: unknown;
  warnings: unknown;
  updated_at: number;
  deleted_at: number | null;
  content_hash: string;
};

export function toRecordView(row: StoredRecordRow, readJson: ReadJson): RecordView {
  return {
    model: row.model,
    id: row.external_id,
    connectorId: row.connector_id,
    connectionOwnerId: row.connection_owner_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    fields: readJson(row.fields, {}),
    warnings: readJson(row.warnings, []),
    updatedAt: iso(row.updated_at)!,
    deletedAt: iso(row.deleted_at),
    synced: row.content_hash !== "",
  };
}

export function toRecordSuggestion(row: StoredRecordRow): RecordSuggestion {
  return {
    model: row.model,
    id: row.external_id,
    name: row.name,
    email: row.email,
    connection: { connectorId: row.connector_id, connectionOwnerId: row.connection_owner_id },
  };
}

function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A picker's search: the trimmed term, and LIKE patterns (escape `\`) for a prefix of any word. */
export function recordSearchPatterns(q: string) {
  const term = q.trim().slice(0, 100);
  return { term, prefix: `${escapeLike(term)}%`, word: `% ${escapeLike(term)}%` };
}
