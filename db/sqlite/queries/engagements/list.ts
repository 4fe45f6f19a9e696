import { sql } from "drizzle-orm";
import { companyOpportunitiesQuery, markVia, type CompanyOpportunity } from "@/db/rollup";
import type { Connection, EngagementPage } from "@/db/types";
import { cutPage } from "@/db/views";
import type { AppDatabase } from "../../client";
import { all, get } from "../../prepared";
import { deletedScope, walksTerm, type ReadContext } from "./context";
import { pageIds, pageRows, rowsByIds } from "./page";
import { resolveEngagements } from "./resolve";
import { walkText } from "./text-walk";

/**
 * One page in the list's order, keyset-paginated: every query picks the index that answers it
 * (see `plan`), so a page costs the same whatever the table size or the page depth.
 */
export function listEngagements(ctx: ReadContext): EngagementPage {
  const { query } = ctx;
  const options = {
    scope: deletedScope(query),
    newestFirst: query.newestFirst,
    limit: query.limit + 1,
  };
  let rows;
  if (walksTerm(ctx)) {
    const ids = walkText(ctx, ctx.text.fts, { ...options, want: options.limit });
    rows = rowsByIds(ctx, ids);
  } else if (ctx.text) {
    // The term's matches sorted by their keys alone; only the page's rows are read whole.
    rows = rowsByIds(ctx, pageIds(ctx, options));
  } else {
    rows = pageRows(ctx, options);
  }
  const page = cutPage(rows, query.limit);
  const data = resolveEngagements(ctx.db, page.rows);
  if (!query.rollup || query.company === null) return { data, next: page.next };
  const opportunities = companyOpportunities(ctx.db, query.company, null);
  return { data: markVia(data, query.company, opportunities), next: page.next };
}

/** A company's live opportunities (db/rollup.ts). */
export function companyOpportunities(
  db: AppDatabase,
  company: string,
  connection: Connection | null,
): CompanyOpportunity[] {
  return all<CompanyOpportunity>(db, companyOpportunitiesQuery(company, connection));
}

/** Whether anything at all was ever ingested (the "nothing yet" empty state). */
export function hasAnyEngagement(db: AppDatabase): boolean {
  const row = get<{ n: number }>(
    db,
    sql`select count(*) as n from (select 1 from engagements limit 1)`,
  );
  return row!.n > 0;
}
