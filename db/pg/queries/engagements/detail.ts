import { sql } from "drizzle-orm";
import type { EngagementDetail } from "@/db/types";
import {
  engagementFieldsOf,
  toDeliveryTouch,
  type DeliveryTouchRow,
  type EngagementRow,
} from "@/db/views";
import type { PgDatabase } from "../../client";
import { allRows } from "../rows";

import { ROW_COLUMNS } from "./list";
import { resolveEngagements } from "./resolve";

/** One engagement whole: its references resolved, its `fields` as received, its deliveries. */
export async function getEngagement(db: PgDatabase, id: number): Promise<EngagementDetail | null> {
  const [[row], deliveries] = await Promise.all([
    allRows<EngagementRow & { fields: unknown }>(
      db,
      sql`select ${ROW_COLUMNS}, e.fields from engagements e where e.id = ${id}::bigint`,
    ),
    allRows<DeliveryTouchRow>(
      db,
      sql`select id, received_at, event, outcome, http_status, idempotency_key, warnings, repeat_count
          from deliveries where engagement_id = ${id}::bigint order by id`,
    ),
  ]);
  if (!row) return null;
  const [view] = await resolveEngagements(db, [row]);
  return {
    ...view!,
    fields: engagementFieldsOf(row.fields, row, view!),
    deliveries: deliveries.map(toDeliveryTouch),
  };
}
