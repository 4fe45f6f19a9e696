import { sql } from "drizzle-orm";
import { HISTORY_COLUMNS_SQL, toHistoryEntry, type HistoryRow } from "@/db/history";
import type { EngagementDetail } from "@/db/types";
import {
  engagementFieldsOf,
  toDeliveryTouch,
  type DeliveryTouchRow,
  type EngagementRow,
} from "@/db/views";
import type { PgDatabase } from "../../client";
import { allRows, readJsonb } from "../rows";

import { ROW_COLUMNS } from "./list";
import { resolveEngagements } from "./resolve";

/** One engagement whole: references resolved, `fields` as received, its deliveries and history. */
export async function getEngagement(db: PgDatabase, id: number): Promise<EngagementDetail | null> {
  const [[row], deliveries, history] = await Promise.all([
    allRows<EngagementRow & { fields: unknown }>(
      db,
      sql`select ${ROW_COLUMNS}, e.fields from engagements e where e.id = ${id}::bigint`,
    ),
    allRows<DeliveryTouchRow>(
      db,
      sql`select id, received_at, event, outcome, http_status, idempotency_key, warnings, repeat_count
          from deliveries where engagement_id = ${id}::bigint order by id`,
    ),
    // By the engagement's connection: the key every engagement table leads with.
    allRows<HistoryRow>(
      db,
      sql`select ${sql.raw(HISTORY_COLUMNS_SQL.replace(/(\w+)/g, "h.$1"))}
          from engagements e join engagement_history h
            on h.connector_id = e.connector_id and h.connection_owner_id = e.connection_owner_id
           and h.engagement_id = e.id
          where e.id = ${id}::bigint order by h.version`,
    ),
  ]);
  if (!row) return null;
  const [view] = await resolveEngagements(db, [row]);
  return {
    ...view!,
    fields: engagementFieldsOf(row.fields, row, view!),
    deliveries: deliveries.map(toDeliveryTouch),
    history: history.map((version) => toHistoryEntry(version, readJsonb)),
  };
}
