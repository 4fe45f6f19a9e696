import { createHash } from "node:crypto";
import type { AppDatabase } from "@/db/client";
import type { DeliveryOutcome } from "@/db/schema";
import { HttpError } from "@/lib/http-error";
import { describeIssues, type MorphEvent } from "@/lib/morph/schemas";
import { applyEvent } from "./apply";
import { parseEnvelope } from "./envelope";
import { statementsFor } from "./statements";

export type DeliveryMeta = {
  connectorId: string;
  connectionOwnerId: string;
  idempotencyKey: string;
  /** The headers worth keeping in the log (credentials never among them). */
  headers: Record<string, string>;
  receivedAt: number;
};

export type DeliveryResult = {
  status: number;
  body: string;
  outcome: DeliveryOutcome;
  deliveryId: number;
};

type Parsed = { ok: true; event: MorphEvent } | { ok: false; error: HttpError };

export function parseDeliveryBody(rawBody: string): Parsed {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: new HttpError(400, "invalid_json", `Body is not valid JSON: ${reason}`),
    };
  }
  const parsed = parseEnvelope(json);
  if (!parsed.success) {
    return {
      ok: false,
      error: new HttpError(
        422,
        "invalid_event",
        "The body is not a Morph event this endpoint accepts.",
        describeIssues(parsed.error),
      ),
    };
  }
  return { ok: true, event: parsed.data };
}

export function hashBody(rawBody: string) {
  return createHash("sha256").update(rawBody).digest("hex");
}

function peekEvent(event: MorphEvent | undefined, rawBody: string) {
  if (event) return { event: event.event, model: event.model, resourceId: event.data.id };
  // A rejected body may still say what it was about: keep that for the log's filters.
  try {
    const json = JSON.parse(rawBody) as {
      event?: unknown;
      data?: { model?: unknown; id?: unknown };
    };
    const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : null);
    return {
      event: str(json?.event),
      model: str(json?.data?.model),
      resourceId: str(json?.data?.id),
    };
  } catch {
    return { event: null, model: null, resourceId: null };
  }
}

/**
 * What one delivery does to the database: idempotency, validation, ordering, tombstones, and
 * its log row, all in one IMMEDIATE transaction. The caller acknowledges only after this
 * returns, so an acknowledged event is always committed.
 */
export function ingest(db: AppDatabase, rawBody: string, meta: DeliveryMeta): DeliveryResult {
  const started = performance.now();
  const s = statementsFor(db);
  const bodyHash = hashBody(rawBody);
  const parsed = parseDeliveryBody(rawBody);
  const about = peekEvent(parsed.ok ? parsed.event : undefined, rawBody);
  const { connectorId, connectionOwnerId, idempotencyKey, receivedAt } = meta;
  const bodyBytes = Buffer.byteLength(rawBody);

  const run = db.$client.transaction((): DeliveryResult => {
    const log = (row: {
      outcome: DeliveryOutcome;
      status: number;
      responseBody: string | null;
      error?: HttpError;
      warnings?: string[];
      engagementId?: number | null;
      originalDeliveryId?: number | null;
    }) =>
      // Statement parameters are written out, never spread: an object literal that spreads
      // another and adds keys costs V8 tens of µs (it builds new hidden classes each time).
      s.insertDelivery.get({
        receivedAt,
        connectorId,
        connectionOwnerId,
        idempotencyKey,
        event: about.event,
        model: about.model,
        resourceId: about.resourceId,
        engagementId: row.engagementId ?? null,
        outcome: row.outcome,
        httpStatus: row.status,
        error: row.error ? row.error.toJSON().error : null,
        warnings: row.warnings ?? [],
        durationMs: Math.round(performance.now() - started),
        body: rawBody,
        bodyHash,
        bodyBytes,
        headers: meta.headers,
        responseBody: row.responseBody,
        originalDeliveryId: row.originalDeliveryId ?? null,
      })!.id;

    const bound = s.findKey.get({ connectorId, connectionOwnerId, key: idempotencyKey });
    if (bound) {
      s.countRepeat.run({ id: bound.deliveryId, at: receivedAt });
      if (bound.bodyHash === bodyHash) {
        const deliveryId = log({
          outcome: "duplicate",
          status: bound.responseStatus,
          responseBody: bound.responseBody,
          originalDeliveryId: bound.deliveryId,
        });
        return {
          status: bound.responseStatus,
          body: bound.responseBody,
          outcome: "duplicate",
          deliveryId,
        };
      }
      const error = new HttpError(
        409,
        "idempotency_conflict",
        `Idempotency key "${idempotencyKey}" was already used with a different body.`,
        { originalDeliveryId: bound.deliveryId },
      );
      const responseBody = JSON.stringify(error.toJSON());
      const deliveryId = log({
        outcome: "conflict",
        status: 409,
        responseBody,
        error,
        originalDeliveryId: bound.deliveryId,
      });
      return { status: 409, body: responseBody, outcome: "conflict", deliveryId };
    }

    if (!parsed.ok) {
      // Refused deliveries bind no key: the sender can fix the body and retry with the same key.
      const responseBody = JSON.stringify(parsed.error.toJSON());
      const deliveryId = log({
        outcome: "rejected",
        status: parsed.error.status,
        responseBody,
        error: parsed.error,
      });
      return { status: parsed.error.status, body: responseBody, outcome: "rejected", deliveryId };
    }

    const applied = applyEvent(s, parsed.event, { connectorId, connectionOwnerId, receivedAt });
    const responseBody = rawBody;
    const deliveryId = log({
      outcome: applied.outcome,
      status: 200,
      // The response echoes the body: not stored twice in the log (see `deliveryResponseBody`).
      responseBody: null,
      warnings: applied.warnings,
      engagementId: applied.engagementId,
    });
    s.bindKey.run({
      connectorId,
      connectionOwnerId,
      key: idempotencyKey,
      bodyHash,
      deliveryId,
      responseStatus: 200,
      responseBody,
      createdAt: receivedAt,
    });
    return { status: 200, body: responseBody, outcome: applied.outcome, deliveryId };
  });
  return run.immediate();
}

/**
 * Logs an authenticated request refused before it reached `ingest` (a missing header, a body
 * too large or of the wrong type), so the log shows every attempt.
 */
export function logRefusal(
  db: AppDatabase,
  request: {
    connectorId: string | null;
    connectionOwnerId: string | null;
    idempotencyKey: string | null;
    headers: Record<string, string>;
    receivedAt: number;
    rawBody: string | null;
  },
  error: HttpError,
) {
  const about =
    request.rawBody === null ? peekEvent(undefined, "") : peekEvent(undefined, request.rawBody);
  statementsFor(db).insertDelivery.get({
    receivedAt: request.receivedAt,
    connectorId: request.connectorId,
    connectionOwnerId: request.connectionOwnerId,
    idempotencyKey: request.idempotencyKey,
    ...about,
    engagementId: null,
    outcome: "rejected",
    httpStatus: error.status,
    error: error.toJSON().error,
    warnings: [],
    durationMs: 0,
    body: request.rawBody,
    bodyHash: request.rawBody === null ? null : hashBody(request.rawBody),
    bodyBytes: request.rawBody === null ? null : Buffer.byteLength(request.rawBody),
    headers: request.headers,
    responseBody: JSON.stringify(error.toJSON()),
    originalDeliveryId: null,
  });
}

/** What a logged delivery answered: stored, or for an accepted event, its own body echoed. */
export function deliveryResponseBody(row: {
  responseBody: string | null;
  body: string | null;
  httpStatus: number;
}) {
  return row.responseBody ?? (row.httpStatus === 200 ? row.body : null);
}
