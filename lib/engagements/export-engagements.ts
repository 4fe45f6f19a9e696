import { getStore } from "@/db/app-store";
import type { EngagementView } from "@/db/types";
import {
  encodeEngagementCursor,
  MAX_LIMIT,
  toEngagementQuery,
  type EngagementFilter,
} from "@/lib/filters";
import { engagementsToCsv } from "./csv";

/** A CSV export walks every page of the filter, up to this many rows. */
const CSV_MAX_ROWS = 50_000;

/** One page as the read API answers it: `{data, nextCursor}`. */
export async function listEngagementsPage(filter: EngagementFilter) {
  const page = await getStore().listEngagements(toEngagementQuery(filter));
  return { data: page.data, nextCursor: page.next ? encodeEngagementCursor(page.next) : null };
}

/** The filter's rows as CSV, page after page. */
export async function exportEngagementsCsv(filter: EngagementFilter): Promise<string> {
  const store = getStore();
  const query = { ...toEngagementQuery(filter), limit: MAX_LIMIT };
  const rows: EngagementView[] = [];
  let page = await store.listEngagements(query);
  rows.push(...page.data);
  while (page.next && rows.length < CSV_MAX_ROWS) {
    page = await store.listEngagements({ ...query, after: page.next });
    rows.push(...page.data);
  }
  return engagementsToCsv(rows.slice(0, CSV_MAX_ROWS), { via: query.rollup });
}
