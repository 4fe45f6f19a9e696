import {
  decideKey,
  elapsedMs,
  errorOf,
  formatErrorBody,
  keyResource,
  NO_WARNINGS,
  type BoundKey,
  type KeyLookup,
  type LogEntry,
} from "@/db/rules";
import type { DeliveryResult, IncomingDelivery, Refusal } from "@/db/types";
import type { AppDatabase } from "../client";
import { applyChange, writeVersion } from "./apply";
import { statementsFor, type IngestStatements } from "./statements";

/** The delivery's log row; the statement's parameters are written out, never spread (V8 cost). */
function logDelivery(
  s: IngestStatements,
  delivery: IncomingDelivery,
  started: number,
  entry: LogEntry,
): number {
  const { meta, about } = delivery;
  return s.insertDelivery.get({
    receivedAt: meta.receivedAt,
    connectorId: meta.connectorId,
    connectionOwnerId: meta.connectionOwnerId,
    idempotencyKey: meta.idempotencyKey,
    event: about.event,
    model: about.model,
    resourceId: about.resourceId,
    engagementId: entry.engagementId,
    outcome: entry.outcome,
    httpStatus: entry.status,
    error: entry.error,
    warnings: entry.warnings,
    durationMs: elapsedMs(delivery.readMs, started),
    body: delivery.rawBody,
    bodyHash: delivery.bodyHash,
    bodyBytes: Buffer.byteLength(delivery.rawBody),
    headers: meta.headers,
    responseBody: entry.responseBody,
    originalDeliveryId: entry.originalDeliveryId,
  })!.id;
}

/** A key bound to this resource: the same body replays its first answer, another is a 409. */
function answerBoundKey(
  s: IngestStatements,
  delivery: IncomingDelivery,
  bound: BoundKey,
  entry: LogEntry & { responseBody: string },
  log: (entry: LogEntry) => number,
): DeliveryResult {
  s.countRepeat.run({ id: bound.deliveryId, at: delivery.meta.receivedAt });
  const deliveryId = log(entry);
  return { status: entry.status, body: entry.responseBody, outcome: entry.outcome, deliveryId };
}

/** The key's binding for this delivery's resource, and whether it is bound for another. */
function lookUpKey(s: IngestStatements, delivery: IncomingDelivery) {
  const { connectorId, connectionOwnerId, idempotencyKey: key } = delivery.meta;
  const scope = { connectorId, connectionOwnerId, key, ...keyResource(delivery.about) };
  const found = s.findKey.get(scope);
  const lookup: KeyLookup = {
    bound: found?.sameResource ? found : null,
    boundElsewhere: found !== undefined && !found.sameResource,
  };
  return { scope, lookup };
}

/**
 * One delivery's effect and its log row, in the caller's transaction: a key bound to this
 * resource replays or conflicts; a refusal is logged and binds nothing (the sender may fix the
 * body and retry with the same key); an event is applied and binds its key, for its resource,
 * to its answer.
 */
export function writeDelivery(db: AppDatabase, delivery: IncomingDelivery): DeliveryResult {
  const started = performance.now();
  const s = statementsFor(db);
  const { meta, change } = delivery;
  const log = (entry: LogEntry) => logDelivery(s, delivery, started, entry);
  const { connectorId, connectionOwnerId, receivedAt } = meta;
  const { scope, lookup } = lookUpKey(s, delivery);
  const key = decideKey(lookup, {
    bodyHash: delivery.bodyHash,
    idempotencyKey: meta.idempotencyKey,
    warnings: "refused" in change ? NO_WARNINGS : change.warnings,
  });
  if (key.kind === "answer") {
    return answerBoundKey(s, delivery, key.bound, key.entry, log);
  }

  if ("refused" in change) {
    const body = formatErrorBody(change.refused);
    const deliveryId = log({
      outcome: "rejected",
      status: change.refused.status,
      responseBody: body,
      error: errorOf(change.refused),
      warnings: NO_WARNINGS,
      engagementId: null,
      originalDeliveryId: null,
    });
    return { status: change.refused.status, body, outcome: "rejected", deliveryId };
  }

  const applied = applyChange(s, change, { connectorId, connectionOwnerId, receivedAt });
  // The response echoes the body: the log keeps it once (see `readLoggedResponse`).
  const deliveryId = log({
    outcome: applied.outcome,
    status: 200,
    responseBody: null,
    error: null,
    warnings: key.warnings,
    engagementId: applied.engagementId,
    originalDeliveryId: null,
  });
  writeVersion(s, applied, { id: deliveryId, receivedAt, event: delivery.about.event });
  s.bindKey.run({
    ...scope,
    bodyHash: delivery.bodyHash,
    deliveryId,
    responseStatus: 200,
    responseBody: delivery.rawBody,
    createdAt: receivedAt,
  });
  return { status: 200, body: delivery.rawBody, outcome: applied.outcome, deliveryId };
}

/** Logs a request refused before it was read as a delivery, so the log shows every attempt. */
export function logRefusal(db: AppDatabase, refusal: Refusal) {
  const { error, rawBody } = refusal;
  statementsFor(db).insertDelivery.get({
    receivedAt: refusal.receivedAt,
    connectorId: refusal.connectorId,
    connectionOwnerId: refusal.connectionOwnerId,
    idempotencyKey: refusal.idempotencyKey,
    event: refusal.about.event,
    model: refusal.about.model,
    resourceId: refusal.about.resourceId,
    engagementId: null,
    outcome: "rejected",
    httpStatus: error.status,
    error: errorOf(error),
    warnings: NO_WARNINGS,
    durationMs: 0,
    body: rawBody,
    bodyHash: refusal.bodyHash,
    bodyBytes: rawBody === null ? null : Buffer.byteLength(rawBody),
    headers: refusal.headers,
    responseBody: formatErrorBody(error),
    originalDeliveryId: null,
  });
}
