import { sql } from "drizzle-orm";
import { companyOpportunitiesQuery, markVia, type CompanyOpportunity } from "@/db/rollup";
import type { Connection, EngagementPage, EngagementQuery } from "@/db/types";
import { cutPage, ENGAGEMENT_ROW_COLUMNS_SQL, type EngagementRow } from "@/db/views";
import type { PgDatabase } from "../../client";
import { allRows } from "../rows";
import { asStoredText, whereClause } from "../sql";
import { createReadContext, type ReadContext } from "./context";
import { resolveEngagements } from "./resolve";
import { sourceOf } from "./where";

/** The columns a list row reads (db/views.ts turns them into a view). */
export const ROW_COLUMNS = sql.raw(ENGAGEMENT_ROW_COLUMNS_SQL);

/** The page's query: `limit` rows in list order after the cursor, on the index of its order. */
function pageQuery(ctx: ReadContext, limit: number) {
  const { query } = ctx;
  const source = sourceOf(ctx);
  const where = [...source.where];
  const keys = sql`(${source.startedAt}, ${source.id})`;
  const desc = query.newestFirst;
  if (query.after) {
    const after = sql`(${query.after.startedAt}::bigint, ${query.after.id}::bigint)`;
    where.push(desc ? sql`${keys} < ${after}` : sql`${keys} > ${after}`);
  }
  const order = desc
    ? sql`order by ${source.startedAt} desc, ${source.id} desc`
    : sql`order by ${source.startedAt}, ${source.id}`;
  return sql`select ${ROW_COLUMNS} from ${source.from} ${whereClause(where)} ${order} limit ${limit}`;
}

/** One page in the list's order, keyset-paginated on (startedAt, id) in either direction. */
export async function listEngagements(
  db: PgDatabase,
  query: EngagementQuery,
): Promise<EngagementPage> {
  const ctx = createReadContext(db, query);
  const rows = await allRows<EngagementRow>(db, pageQuery(ctx, query.limit + 1));
  const page = cutPage(rows, query.limit);
  const data = await resolveEngagements(db, page.rows);
  if (!query.rollup || query.company === null) return { data, next: page.next };
  const opportunities = await companyOpportunities(db, query.company, null);
  return { data: markVia(data, query.company, opportunities), next: page.next };
}

/** A company's live opportunities (db/rollup.ts). */
export function companyOpportunities(
  db: PgDatabase,
  company: string,
  connection: Connection | null,
): Promise<CompanyOpportunity[]> {
  const inConnection = connection && {
    connectorId: asStoredText(connection.connectorId),
    connectionOwnerId: asStoredText(connection.connectionOwnerId),
  };
  return allRows(db, companyOpportunitiesQuery(asStoredText(company), inConnection));
}

/** Whether anything at all was ever ingested (the "nothing yet" empty state). */
export async function hasAnyEngagement(db: PgDatabase): Promise<boolean> {
  const [row] = await allRows<{ any: boolean }>(
    db,
    sql`select exists (select 1 from engagements) as any`,
  );
  return row!.any;
}
