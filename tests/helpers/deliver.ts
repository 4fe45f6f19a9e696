import { randomUUID } from "node:crypto";
import type { AppDatabase } from "@/db/client";
import { ingest, type DeliveryResult } from "@/lib/ingest";

export type DeliverOptions = { connector?: string; owner?: string; receivedAt?: number };

/**
 * One delivery of `body` through the real ingest(), under a fresh idempotency key so it is
 * never taken for a redelivery of an earlier one.
 */
export function deliver(
  db: AppDatabase,
  body: unknown,
  options: DeliverOptions = {},
): DeliveryResult {
  return ingest(db, typeof body === "string" ? body : JSON.stringify(body), {
    connectorId: options.connector ?? "hubspot",
    connectionOwnerId: options.owner ?? "acme-prod",
    idempotencyKey: randomUUID(),
    headers: {},
    receivedAt: options.receivedAt ?? Date.now(),
  });
}
