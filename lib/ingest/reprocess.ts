import { eq } from "drizzle-orm";
import type { AppDatabase } from "@/db/client";
import { deliveries } from "@/db/schema";
import { HttpError } from "@/lib/http-error";
import { ingest, type DeliveryResult } from "./index";

const REPROCESSABLE = new Set(["rejected", "conflict"]);

/**
 * Applies a refused or conflicting delivery again from its logged body, through the same rules
 * (validation, ordering, tombstones) and with a log row of its own. Its key is derived from the
 * original delivery, so reprocessing the same row twice applies it once.
 */
export function reprocessDelivery(
  db: AppDatabase,
  deliveryId: number,
  now = Date.now(),
): DeliveryResult {
  const original = db.select().from(deliveries).where(eq(deliveries.id, deliveryId)).get();
  if (!original) throw new HttpError(404, "not_found", `No delivery ${deliveryId}.`);
  if (!REPROCESSABLE.has(original.outcome)) {
    throw new HttpError(
      409,
      "not_reprocessable",
      `Only rejected or conflicting deliveries can be reprocessed; this one was ${original.outcome}.`,
    );
  }
  if (original.body === null) {
    throw new HttpError(
      422,
      "body_unavailable",
      "This delivery has no stored body (too large, or pruned).",
    );
  }
  if (!original.connectorId || !original.connectionOwnerId) {
    throw new HttpError(
      422,
      "connection_unknown",
      "This delivery did not say which connection it came from.",
    );
  }
  return ingest(db, original.body, {
    connectorId: original.connectorId,
    connectionOwnerId: original.connectionOwnerId,
    idempotencyKey: `reprocess:${original.id}`,
    headers: { ...original.headers, "x-reprocess-of": String(original.id) },
    receivedAt: now,
  });
}
