import { randomUUID } from "node:crypto";
import type { Store } from "@/db/store";
import type { DeliveryResult } from "@/db/types";
import { ingest } from "@/lib/ingest/ingest";

export type DeliverOptions = { connector?: string; owner?: string; receivedAt?: number };

/**
 * One delivery of `body` through the real ingest(), under a fresh idempotency key so it is
 * never taken for a redelivery of an earlier one.
 */
export function deliver(
  store: Store,
  body: unknown,
  options: DeliverOptions = {},
): Promise<DeliveryResult> {
  return ingest(store, typeof body === "string" ? body : JSON.stringify(body), {
    connectorId: options.connector ?? "hubspot",
    connectionOwnerId: options.owner ?? "acme-prod",
    idempotencyKey: randomUUID(),
    headers: {},
    receivedAt: options.receivedAt ?? Date.now(),
  });
}
