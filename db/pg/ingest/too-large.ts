import type { DeliveryFailure, DeliveryResult, IncomingDelivery } from "@/db/types";
import type { PgDatabase } from "../client";
import { logParams, rejectedEntry } from "./log-row";
import { LOG, runStatement } from "./statements";

/**
 * A btree index entry holds at most ~2.7 kB (a third of a page, after compression), so an id,
 * reference or key longer than that cannot be stored on PostgreSQL (program_limit_exceeded),
 * where SQLite takes it. Such a delivery is refused as a bad envelope, and binds nothing.
 */
const PROGRAM_LIMIT_EXCEEDED = "54000";

/** Characters of an indexed log column kept for such a refusal: 4 bytes each at most, < 2.7 kB. */
const INDEXABLE_CHARS = 600;

/** Which part of a delivery an index holds, by index, else by table. */
const PATH_OF_INDEX: Record<string, string> = {
  deliveries_key: "x-idempotency-key",
  engagements_owner_started: "data.fields.owner.id",
};
const PATH_OF_TABLE: Record<string, string> = {
  deliveries: "data.id",
  engagements: "data.id",
  engagement_refs: "data.fields (a reference's id)",
  records: "data.id (or an expanded record's id)",
};

export function isTooLargeToIndex(error: unknown): boolean {
  return (error as { code?: unknown })?.code === PROGRAM_LIMIT_EXCEEDED;
}

/** A key binds per resource, so its index holds the key and the resource id: the longer one. */
function pathOfKey(delivery: IncomingDelivery) {
  const { idempotencyKey } = delivery.meta;
  return (delivery.about.resourceId ?? "").length > idempotencyKey.length
    ? "data.id"
    : "x-idempotency-key";
}

function describeTooLarge(error: unknown, delivery: IncomingDelivery): DeliveryFailure {
  const { constraint = "", table = "" } = error as { constraint?: string; table?: string };
  const path =
    table === "idempotency_keys"
      ? pathOfKey(delivery)
      : (PATH_OF_INDEX[constraint] ?? PATH_OF_TABLE[table] ?? "(root)");
  return {
    status: 422,
    code: "invalid_event",
    message: "The body is not a Morph event this endpoint accepts.",
    details: [{ path, message: "is too long to store (PostgreSQL indexes about 2,700 bytes)" }],
  };
}

/** `text` cut to what an index entry surely holds, for the refusal's own log row. */
function fitForIndex(text: unknown) {
  return typeof text === "string" && text.length > INDEXABLE_CHARS
    ? text.slice(0, INDEXABLE_CHARS)
    : text;
}

/** Nothing of the delivery was stored: its refusal is logged, with the long values cut short. */
export async function refuseTooLarge(
  db: PgDatabase,
  delivery: IncomingDelivery,
  error: unknown,
  started: number,
): Promise<DeliveryResult> {
  const entry = rejectedEntry(describeTooLarge(error, delivery));
  const params = logParams(delivery, started, entry);
  const [row] = await runStatement<{ id: number }>(db.$client, LOG, {
    ...params,
    idempotencyKey: fitForIndex(params.idempotencyKey),
    resourceId: fitForIndex(params.resourceId),
  });
  return {
    status: entry.status,
    body: entry.responseBody,
    outcome: "rejected",
    deliveryId: row!.id,
  };
}
