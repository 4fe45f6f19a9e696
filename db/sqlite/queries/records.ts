import { sql } from "drizzle-orm";
import type { RecordModel, RefRole } from "@/db/schema";
import type { Connection, RecordSuggestion, RecordView } from "@/db/types";
import {
  recordSearchPatterns,
  toRecordSuggestion,
  toRecordView,
  type StoredRecordRow as Row,
} from "@/db/record-views";
import { parseJson } from "@/db/stored-values";
import type { AppDatabase } from "../client";
import { all, get } from "../prepared";

/** Users, contacts, companies and opportunities: record pages and the filter pickers. */

/** One record by its external id within one connection (ids are only unique per connection). */
export function getRecord(
  db: AppDatabase,
  model: RecordModel,
  connection: Connection,
  externalId: string,
): RecordView | null {
  const row = get<Row>(
    db,
    sql`select * from records where connector_id = ${connection.connectorId}
        and connection_owner_id = ${connection.connectionOwnerId}
        and model = ${model} and external_id = ${externalId}`,
  );
  return row ? toRecordView(row, parseJson) : null;
}

/**
 * The connections an id is known in: as a record, else as a reference from engagements
 * (a contact that has not synced yet still has a timeline).
 */
export function connectionsOf(
  db: AppDatabase,
  model: RecordModel,
  role: RefRole,
  externalId: string,
): Connection[] {
  const rows = all<{ connector_id: string; connection_owner_id: string }>(
    db,
    sql`select connector_id, connection_owner_id from records
          where model = ${model} and external_id = ${externalId}
        union
        select connector_id, connection_owner_id from (
          select e.connector_id, e.connection_owner_id from engagement_refs r
          join engagements e on e.id = r.engagement_id
          where r.role = ${role} and r.ref_id = ${externalId} limit 500)
        union
        select connector_id, connection_owner_id from (
          select connector_id, connection_owner_id from engagements
          where ${role === "user" ? sql`owner_id = ${externalId}` : sql`0`} limit 500)
        order by 1, 2 limit 20`,
  );
  return rows.map((r) => ({
    connectorId: r.connector_id,
    connectionOwnerId: r.connection_owner_id,
  }));
}

/** Picker suggestions: name (any word of it) or email starting with `q`, 20 at most. */
export function searchRecords(
  db: AppDatabase,
  model: RecordModel,
  q: string,
  connection: Connection | null = null,
): RecordSuggestion[] {
  const { term, prefix, word } = recordSearchPatterns(q);
  const scope = connection
    ? sql`and connector_id = ${connection.connectorId} and connection_owner_id = ${connection.connectionOwnerId}`
    : sql``;
  const match = term
    ? sql`and (name like ${prefix} escape '\\' or name like ${word} escape '\\' or email like ${prefix} escape '\\' or external_id = ${term})`
    : sql``;
  const rows = all<Row>(
    db,
    sql`select * from records where model = ${model} and deleted_at is null and content_hash <> ''
        ${match} ${scope} order by name collate nocase, external_id limit 20`,
  );
  return rows.map(toRecordSuggestion);
}
