import { z } from "zod";
import { DELIVERY_OUTCOMES, type DeliveryOutcome } from "@/db/schema";

/**
 * The idempotency log's URL ⇄ filter object, shared by /deliveries, GET /api/deliveries and the
 * links between them. Parsing is forgiving: a value that does not fit means "no filter".
 */
export type DeliveryFilter = {
  outcome: DeliveryOutcome[];
  event?: string;
  connection?: { connectorId: string; connectionOwnerId: string };
  key?: string;
  resource?: string;
  /** Inclusive bounds on receivedAt as given (ISO date or date-time); see `dateBound`. */
  from?: string;
  to?: string;
  limit: number;
  cursor?: number;
};

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

function all(params: SearchParamsLike, name: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(name);
  const value = params[name];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
function first(params: SearchParamsLike, name: string): string | undefined {
  return all(params, name)[0];
}

const text = z.string().trim().min(1).max(500);
const outcome = z.enum(DELIVERY_OUTCOMES);
// Over the maximum means "as many as allowed"; nonsense means the default.
const limit = z.coerce
  .number()
  .int()
  .min(1)
  .transform((n) => Math.min(n, MAX_LIMIT));
const connection = z
  .string()
  .trim()
  .regex(/^[^:]+:.+$/)
  .transform((value) => {
    const at = value.indexOf(":");
    return { connectorId: value.slice(0, at), connectionOwnerId: value.slice(at + 1) };
  });

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** ISO date or date-time; a bare date covers its whole UTC day, so `to` stays inclusive. */
export function dateBound(value: string | undefined, edge: "start" | "end"): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (DATE_ONLY.test(trimmed)) {
    const start = Date.parse(`${trimmed}T00:00:00.000Z`);
    if (Number.isNaN(start)) return undefined;
    return edge === "start" ? start : start + 86_400_000 - 1;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The keyset cursor is opaque to clients: the last id of a page, wrapped. */
export function encodeCursor(id: number): string {
  return Buffer.from(`d${id}`).toString("base64url");
}
export function decodeCursor(cursor: string | undefined): number | undefined {
  if (!cursor) return undefined;
  const match = /^d(\d{1,15})$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? Number(match[1]) : undefined;
}

function validBound(value: string | undefined) {
  return dateBound(value, "start") === undefined ? undefined : value!.trim();
}

function optional<T>(schema: z.ZodType<T>, value: unknown): T | undefined {
  const parsed = schema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function parseDeliveryFilter(params: SearchParamsLike): DeliveryFilter {
  const outcomes = all(params, "outcome")
    .flatMap((value) => value.split(","))
    .map((value) => optional(outcome, value.trim()))
    .filter((value): value is DeliveryOutcome => value !== undefined);
  return {
    outcome: [...new Set(outcomes)],
    event: optional(text, first(params, "event")),
    connection: optional(connection, first(params, "connection")),
    key: optional(text, first(params, "key")),
    resource: optional(text, first(params, "resource")),
    from: validBound(first(params, "from")),
    to: validBound(first(params, "to")),
    limit: optional(limit, first(params, "limit")) ?? DEFAULT_LIMIT,
    cursor: decodeCursor(first(params, "cursor")),
  };
}

/** The filter as URL parameters (no cursor unless asked), the inverse of `parseDeliveryFilter`. */
export function deliveryFilterParams(
  filter: Partial<DeliveryFilter>,
  options: { cursor?: string } = {},
): URLSearchParams {
  const params = new URLSearchParams();
  for (const value of filter.outcome ?? []) params.append("outcome", value);
  if (filter.event) params.set("event", filter.event);
  if (filter.connection) {
    params.set(
      "connection",
      `${filter.connection.connectorId}:${filter.connection.connectionOwnerId}`,
    );
  }
  if (filter.key) params.set("key", filter.key);
  if (filter.resource) params.set("resource", filter.resource);
  if (filter.from) params.set("from", filter.from);
  if (filter.to) params.set("to", filter.to);
  if (filter.limit !== undefined && filter.limit !== DEFAULT_LIMIT) {
    params.set("limit", String(filter.limit));
  }
  if (options.cursor) params.set("cursor", options.cursor);
  return params;
}

/** A /deliveries link for a filter with some values changed. */
export function deliveriesHref(
  filter: Partial<DeliveryFilter>,
  changes: Partial<DeliveryFilter> = {},
  options: { cursor?: string } = {},
): string {
  const query = deliveryFilterParams({ ...filter, ...changes }, options).toString();
  return query ? `/deliveries?${query}` : "/deliveries";
}

/** Whether any filter (beyond paging) is set. */
export function hasDeliveryFilter(filter: DeliveryFilter): boolean {
  return Boolean(
    filter.outcome.length ||
    filter.event ||
    filter.connection ||
    filter.key ||
    filter.resource ||
    filter.from ||
    filter.to,
  );
}
