import type { Store } from "@/db/store";
import type { DeliveryResult } from "@/db/types";
import { HttpError } from "@/lib/http-error";
import { ingest } from "./ingest";

const REPROCESSABLE = new Set(["rejected", "conflict"]);

/**
 * Applies a refused or conflicting delivery again from its logged body, through the same rules
 * (validation, ordering, tombstones) and with a log row of its own. Its key is derived from the
 * original delivery, so reprocessing the same row twice applies it once.
 */
export async function reprocessDelivery(
  store: Store,
  deliveryId: number,
  now = Date.now(),
): Promise<DeliveryResult> {
  const original = await store.getDelivery(deliveryId);
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
  return ingest(store, original.body, {
    connectorId: original.connectorId,
    connectionOwnerId: original.connectionOwnerId,
    idempotencyKey: `reprocess:${original.id}`,
    headers: { ...original.headers, "x-reprocess-of": String(original.id) },
    receivedAt: now,
  });
}
