import type { DeliveryOutcome } from "@/db/models";
import {
  elapsedMs,
  errorOf,
  formatErrorBody,
  keyResource,
  NO_WARNINGS,
  type LogEntry,
} from "@/db/rules";
import type { DeliveryFailure, IncomingDelivery } from "@/db/types";
import { pgJson, pgText } from "./pg-values";
import type { Params } from "./statements";

/** A delivery's log row, as every ingest statement's parameters (statements.ts `logValues`). */

export { errorOf, NO_WARNINGS, type LogEntry };

/** An accepted event's row: its response echoes the body, so the log keeps it once. */
export function acceptedEntry(
  outcome: DeliveryOutcome,
  warnings: string[],
  engagementId: number | null,
): LogEntry {
  return {
    outcome,
    status: 200,
    responseBody: null,
    error: null,
    warnings,
    engagementId,
    originalDeliveryId: null,
  };
}

/** A refused delivery's row and the body it answers. */
export function rejectedEntry(failure: DeliveryFailure): LogEntry & { responseBody: string } {
  return {
    outcome: "rejected",
    status: failure.status,
    responseBody: formatErrorBody(failure),
    error: errorOf(failure),
    warnings: NO_WARNINGS,
    engagementId: null,
    originalDeliveryId: null,
  };
}

/** The connection and key every statement of a delivery is scoped by; a key binds per resource. */
export function scopeParams(delivery: IncomingDelivery): Params {
  const { meta } = delivery;
  const { model, resourceId } = keyResource(delivery.about);
  return {
    connectorId: pgText(meta.connectorId),
    connectionOwnerId: pgText(meta.connectionOwnerId),
    key: pgText(meta.idempotencyKey),
    keyModel: pgText(model),
    keyResourceId: pgText(resourceId),
  };
}

export function logParams(delivery: IncomingDelivery, started: number, entry: LogEntry): Params {
  const { meta, about } = delivery;
  return {
    ...scopeParams(delivery),
    receivedAt: meta.receivedAt,
    idempotencyKey: pgText(meta.idempotencyKey),
    event: pgText(about.event),
    model: pgText(about.model),
    resourceId: pgText(about.resourceId),
    engagementId: entry.engagementId,
    outcome: entry.outcome,
    httpStatus: entry.status,
    error: pgJson(entry.error),
    warnings: pgJson(entry.warnings),
    durationMs: elapsedMs(delivery.readMs, started),
    body: pgText(delivery.rawBody),
    bodyHash: delivery.bodyHash,
    bodyBytes: Buffer.byteLength(delivery.rawBody),
    headers: pgJson(meta.headers),
    responseBody: pgText(entry.responseBody),
    originalDeliveryId: entry.originalDeliveryId,
  };
}
