import { sql } from "drizzle-orm";
import { loadEngagementFields } from "@/db/fields-codec";
import { REFERENCE_ROLES, type ReferenceList } from "@/db/roles";
import type { DeliveryOutcome } from "@/db/schema";
import type { EngagementDetail } from "@/db/types";
import type { AppDatabase } from "../../client";
import { all, get } from "../../prepared";
import { parseJson } from "../values";
import { ROW_COLUMNS_SQL, type EngagementRow } from "./page";
import { resolveEngagements } from "./resolve";

/** One engagement whole: its references resolved, its `fields` as received, its deliveries. */
export function getEngagement(db: AppDatabase, numeric: number): EngagementDetail | null {
  const row = get<EngagementRow & { fields: string }>(
    db,
    sql`select ${sql.raw(ROW_COLUMNS_SQL)}, e.fields from engagements e where e.id = ${numeric}`,
  );
  if (!row) return null;
  const [view] = resolveEngagements(db, [row]);
  const deliveries = all<{
    id: number;
    received_at: number;
    event: string | null;
    outcome: DeliveryOutcome;
    http_status: number;
    idempotency_key: string | null;
    warnings: string;
    repeat_count: number;
  }>(
    db,
    sql`select id, received_at, event, outcome, http_status, idempotency_key, warnings, repeat_count
        from deliveries where engagement_id = ${numeric} order by id`,
  );
  return {
    ...view,
    fields: loadEngagementFields(parseJson(row.fields, null), {
      ...view,
      startedAt: row.started_at,
      endedAt: row.ended_at,
      ownerId: row.owner_id,
      refs: Object.fromEntries(
        REFERENCE_ROLES.map(({ list }) => [list, view[list].map((ref) => ref.id)]),
      ) as Record<ReferenceList, string[]>,
    }),
    deliveries: deliveries.map((d) => ({
      id: d.id,
      receivedAt: new Date(d.received_at).toISOString(),
      event: d.event,
      outcome: d.outcome,
      httpStatus: d.http_status,
      idempotencyKey: d.idempotency_key,
      warnings: parseJson(d.warnings, []),
      repeatCount: d.repeat_count,
    })),
  };
}
