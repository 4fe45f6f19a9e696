import { sql } from "drizzle-orm";
import { HISTORY_COLUMNS_SQL, toHistoryEntry, type HistoryRow } from "@/db/history";
import { parseJson } from "@/db/stored-values";
import type { EngagementDetail } from "@/db/types";
import { engagementFieldsOf, toDeliveryTouch, type DeliveryTouchRow } from "@/db/views";
import type { AppDatabase } from "../../client";
import { all, get } from "../../prepared";
import { ROW_COLUMNS_SQL, type EngagementRow } from "./page";
import { resolveEngagements } from "./resolve";

/** One engagement whole: references resolved, `fields` as received, its deliveries and history. */
export function getEngagement(db: AppDatabase, numeric: number): EngagementDetail | null {
  const row = get<EngagementRow & { fields: string }>(
    db,
    sql`select ${sql.raw(ROW_COLUMNS_SQL)}, e.fields from engagements e where e.id = ${numeric}`,
  );
  if (!row) return null;
  const [view] = resolveEngagements(db, [row]);
  const deliveries = all<DeliveryTouchRow>(
    db,
    sql`select id, received_at, event, outcome, http_status, idempotency_key, warnings, repeat_count
        from deliveries where engagement_id = ${numeric} order by id`,
  );
  const history = all<HistoryRow>(
    db,
    sql`select ${sql.raw(HISTORY_COLUMNS_SQL)} from engagement_history
        where engagement_id = ${numeric} order by version`,
  );
  return {
    ...view,
    fields: engagementFieldsOf(row.fields, row, view),
    deliveries: deliveries.map(toDeliveryTouch),
    history: history.map((version) => toHistoryEntry(version, parseJson)),
  };
}
