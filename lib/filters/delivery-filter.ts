import { z } from "zod";
import { DELIVERY_OUTCOMES, type DeliveryOutcome } from "@/db/models";
import type { DeliveryQuery } from "@/db/types";
import { formatConnection, parseConnection, type Connection } from "./connection";
import { decodeDeliveryCursor } from "./cursor";
import { isValidTimeZone, parseDateBound } from "./dates";
import {
  buildParams,
  DEFAULT_LIMIT,
  firstValue,
  many,
  one,
  parseLimit,
  textSchema,
  type ParamSource,
} from "./params";

/**
 * The idempotency log's URL ⇄ filter object, shared by /deliveries, GET /api/deliveries and the
 * links between them. A bare date is that whole day in `tz` (else UTC), as on the list.
 */
export type DeliveryFilter = {
  outcome: DeliveryOutcome[];
  event: string[];
  connection?: Connection;
  key?: string;
  resource?: string;
  /** Inclusive bounds on receivedAt as given (ISO date or date-time); see `dateBound`. */
  from?: string;
  to?: string;
  /** The zone bare dates are read in; pages set the viewer's. */
  tz?: string;
  limit: number;
  /** The id the next page starts below (the decoded cursor). */
  cursor?: number;
};

/** One end of the log's date range as an instant (undefined: no bound). */
export function dateBound(
  value: string | undefined,
  edge: "start" | "end",
  tz?: string,
): number | undefined {
  return parseDateBound(value?.trim() || null, tz ?? null, edge === "end") ?? undefined;
}

function bound(params: ParamSource, name: "from" | "to"): string | undefined {
  const value = firstValue(params, name)?.trim();
  return dateBound(value, name === "from" ? "start" : "end") === undefined ? undefined : value;
}

function zone(params: ParamSource): string | undefined {
  const tz = one(params, "tz", textSchema);
  return tz && isValidTimeZone(tz) ? tz : undefined;
}

const text = (params: ParamSource, name: string) => one(params, name, textSchema) ?? undefined;

export function parseDeliveryFilter(params: ParamSource): DeliveryFilter {
  return {
    outcome: many(params, "outcome", z.enum(DELIVERY_OUTCOMES)),
    event: many(params, "event", textSchema),
    connection: parseConnection(firstValue(params, "connection")?.trim()) ?? undefined,
    key: text(params, "key"),
    resource: text(params, "resource"),
    from: bound(params, "from"),
    to: bound(params, "to"),
    tz: zone(params),
    limit: parseLimit(firstValue(params, "limit")),
    cursor: decodeDeliveryCursor(firstValue(params, "cursor")) ?? undefined,
  };
}

/** The filter as URL parameters (no cursor unless asked), the inverse of `parseDeliveryFilter`. */
export function deliveryFilterParams(
  filter: Partial<DeliveryFilter>,
  options: { cursor?: string } = {},
): URLSearchParams {
  return buildParams([
    ...(filter.outcome ?? []).map((value) => ["outcome", value] as const),
    ...(filter.event ?? []).map((value) => ["event", value] as const),
    ["connection", filter.connection && formatConnection(filter.connection)],
    ["key", filter.key],
    ["resource", filter.resource],
    ["from", filter.from],
    ["to", filter.to],
    ["tz", filter.tz],
    ["limit", filter.limit === DEFAULT_LIMIT ? null : filter.limit?.toString()],
    ["cursor", options.cursor],
  ]);
}

/** What storage is asked: instants for the dates, the decoded cursor as `before`. */
export function toDeliveryQuery(filter: DeliveryFilter): DeliveryQuery {
  return {
    outcome: filter.outcome,
    event: filter.event,
    connection: filter.connection ?? null,
    key: filter.key ?? null,
    resource: filter.resource ?? null,
    fromMs: dateBound(filter.from, "start", filter.tz) ?? null,
    toMs: dateBound(filter.to, "end", filter.tz) ?? null,
    limit: filter.limit,
    before: filter.cursor ?? null,
  };
}
