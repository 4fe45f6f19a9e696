import { sql } from "drizzle-orm";
import type { RecordModel, RefRole } from "@/db/models";
import {
  recordSearchPatterns,
  toRecordSuggestion,
  toRecordView,
  type StoredRecordRow as Row,
} from "@/db/record-views";
import type { Connection, RecordSuggestion, RecordView } from "@/db/types";
import type { PgDatabase } from "../client";
import { allRows, firstRow, readJsonb } from "./rows";

/** Users, contacts, companies and opportunities: record pages and the filter pickers. */

/** One record by its external id within one connection (ids are only unique per connection). */
export async function getRecord(
  db: PgDatabase,
  model: RecordModel,
  connection: Connection,
  externalId: string,
): Promise<RecordView | null> {
  const row = await firstRow<Row>(
    db,
    sql`select * from records where connector_id = ${connection.connectorId}
        and connection_owner_id = ${connection.connectionOwnerId}
        and model = ${model} and external_id = ${externalId}`,
  );
  return row ? toRecordView(row, readJsonb) : null;
}

/**
 * The connections an id is known in: as a record, else as a reference from engagements
 * (a contact that has not synced yet still has a timeline). References carry their connection
 * on PostgreSQL, so no join to engagements.
 */
export async function connectionsOf(
  db: PgDatabase,
  model: RecordModel,
  role: RefRole,
  externalId: string,
): Promise<Connection[]> {
  const owners =
    role === "user"
      ? sql`union select * from (
              select connector_id, connection_owner_id from engagements
              where owner_id = ${externalId} limit 500) o`
      : sql``;
  const rows = await allRows<{ connector_id: string; connection_owner_id: string }>(
    db,
    sql`select * from (
          select connector_id, connection_owner_id from records
            where model = ${model} and external_id = ${externalId}
          union select * from (
            select connector_id, connection_owner_id from engagement_refs
            where role = ${role} and ref_id = ${externalId} limit 500) r
          ${owners}
        ) c order by connector_id collate "C", connection_owner_id collate "C" limit 20`,
  );
  return rows.map((r) => ({
    connectorId: r.connector_id,
    connectionOwnerId: r.connection_owner_id,
  }));
}

/** SQLite's LIKE and NOCASE fold ASCII letters only; so does this. */
const foldAscii = (column: string) =>
  sql.raw(`translate(${column}, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')`);
const lowerAscii = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Picker suggestions: name (any word of it) or email starting with `q`, 20 at most. */
export async function searchRecords(
  db: PgDatabase,
  model: RecordModel,
  q: string,
  connection: Connection | null = null,
): Promise<RecordSuggestion[]> {
  const { term, prefix, word } = recordSearchPatterns(q);
  const [name, email] = [foldAscii("name"), foldAscii("email")];
  const [start, within] = [lowerAscii(prefix), lowerAscii(word)];
  const scope = connection
    ? sql`and connector_id = ${connection.connectorId} and connection_owner_id = ${connection.connectionOwnerId}`
    : sql``;
  const match = term
    ? sql`and (${name} like ${start} escape '\\' or ${name} like ${within} escape '\\'
               or ${email} like ${start} escape '\\' or external_id = ${term})`
    : sql``;
  const rows = await allRows<Row>(
    db,
    sql`select * from records where model = ${model} and deleted_at is null and content_hash <> ''
        ${match} ${scope}
        order by ${name} collate "C" nulls first, external_id collate "C" limit 20`,
  );
  return rows.map(toRecordSuggestion);
}
