/** What `db:copy` moves, table by table: the PostgreSQL columns, and where SQLite holds each. */
import { getTableConfig, type PgTable } from "drizzle-orm/pg-core";
import {
  deliveries,
  engagementHistory,
  engagementRefs,
  engagements,
  idempotencyKeys,
  records,
} from "@/db/pg/schema";
import { pgJson, pgText, pgWholeNumber } from "@/db/pg/ingest/pg-values";

/** A column, and how a SQLite value becomes one PostgreSQL holds (db/pg/ingest/pg-values.ts). */
export type CopyColumn = { name: string; type: string; store(value: unknown): unknown };

/** SQLite's JSON text as json input: only text with an escape can hold one PostgreSQL refuses. */
const storeJson = (value: unknown) =>
  typeof value === "string" && value.includes("\\u") ? pgJson(JSON.parse(value)) : value;
const storeText = (value: unknown) => (typeof value === "string" ? pgText(value) : value);
const storeNumber = (value: unknown) => (typeof value === "number" ? pgWholeNumber(value) : value);

function storeAs(type: string): CopyColumn["store"] {
  if (type === "json") return storeJson;
  if (type === "bigint" || type === "integer") return storeNumber;
  return storeText;
}

export type TableCopy = {
  table: string;
  /** Every stored column of the PostgreSQL table (not generated ones such as `search`). */
  columns: CopyColumn[];
  /** SQLite's FROM clause, and the expression that reads each column there. */
  from: string;
  sourceOf(column: string): string;
  /** SQLite's order for keyset batches: a unique key, cheap to walk in that order. */
  key: string[];
  /** The column PostgreSQL numbers by identity, moved past the copied ids afterwards. */
  identity: string | null;
};

function columnsOf(table: PgTable): { columns: CopyColumn[]; identity: string | null } {
  const stored = getTableConfig(table).columns.filter((column) => !column.generated);
  const identity = stored.find((column) => column.generatedIdentity !== undefined);
  return {
    columns: stored.map((column) => {
      const type = column.getSQLType();
      return { name: column.name, type, store: storeAs(type) };
    }),
    identity: identity?.name ?? null,
  };
}

const sameName = (column: string) => column;

type Source = Pick<TableCopy, "from" | "sourceOf" | "key"> & { target: PgTable };

function tableCopy({ target, ...source }: Source): TableCopy {
  return { table: getTableConfig(target).name, ...columnsOf(target), ...source };
}

/** Engagements first: references and deliveries point at their ids. */
export const TABLE_COPIES: TableCopy[] = [
  { target: engagements, from: "engagements", sourceOf: sameName, key: ["id"] },
  {
    target: engagementRefs,
    // On PostgreSQL a reference carries its engagement's connection (the key it is sharded by).
    from: "engagement_refs r JOIN engagements e ON e.id = r.engagement_id",
    sourceOf: (column: string) =>
      column === "connector_id" || column === "connection_owner_id" ? `e.${column}` : `r.${column}`,
    // The primary key of a WITHOUT ROWID table: the table's own order.
    key: ["r.engagement_id", "r.role", "r.ref_id"],
  },
  {
    target: engagementHistory,
    // Like a reference, a version carries its engagement's connection.
    from: "engagement_history h JOIN engagements e ON e.id = h.engagement_id",
    sourceOf: (column: string) =>
      column === "connector_id" || column === "connection_owner_id" ? `e.${column}` : `h.${column}`,
    key: ["h.engagement_id", "h.version"],
  },
  { target: records, from: "records", sourceOf: sameName, key: ["id"] },
  { target: deliveries, from: "deliveries", sourceOf: sameName, key: ["id"] },
  { target: idempotencyKeys, from: "idempotency_keys", sourceOf: sameName, key: ["rowid"] },
].map(tableCopy);
