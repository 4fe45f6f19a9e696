// Until lib/filters builds storage queries itself.
import type { ActivityWindow, DeliveryQuery, EngagementQuery } from "@/db/types";
import {
  dateBound,
  decodeCursor as decodeDeliveryCursor,
  type DeliveryFilter,
} from "@/lib/delivery-filters";
import { dateRange, timeZoneOffset, type EngagementFilter } from "@/lib/filters";

export function toEngagementQuery(filter: EngagementFilter): EngagementQuery {
  const { fromMs, toMs } = dateRange(filter);
  return {
    owner: filter.owner,
    contact: filter.contact,
    company: filter.company,
    opportunity: filter.opportunity,
    user: filter.user,
    type: filter.type,
    direction: filter.direction,
    status: filter.status,
    fromMs,
    toMs,
    text: filter.q,
    connection: filter.connection,
    deleted: filter.deleted,
    newestFirst: filter.sort === "startedAt",
    limit: filter.limit,
    after: filter.cursor,
  };
}

const DAY_MS = 86_400_000;

export function activityWindow(
  bounds: { fromMs: number | null; toMs: number | null },
  tz: string | null,
  anchorMs: number,
): ActivityWindow {
  const offsetMs = tz ? timeZoneOffset(anchorMs, tz) : 0;
  const dayOf = (ms: number) => Math.floor((ms + offsetMs) / DAY_MS);
  const endDay = dayOf(bounds.toMs ?? anchorMs);
  let startDay = bounds.fromMs !== null ? dayOf(bounds.fromMs) : endDay - 29;
  startDay = Math.max(startDay, endDay - 91);
  return {
    offsetMs,
    startDay,
    endDay,
    fromMs: startDay * DAY_MS - offsetMs,
    toMs: (endDay + 1) * DAY_MS - offsetMs - 1,
  };
}

export function toDeliveryQuery(filter: DeliveryFilter): DeliveryQuery {
  return {
    outcome: filter.outcome,
    event: filter.event ?? null,
    connection: filter.connection ?? null,
    key: filter.key ?? null,
    resource: filter.resource ?? null,
    fromMs: dateBound(filter.from, "start") ?? null,
    toMs: dateBound(filter.to, "end") ?? null,
    limit: filter.limit,
    before: filter.cursor ?? null,
  };
}

export { decodeDeliveryCursor };
