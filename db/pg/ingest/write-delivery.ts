import type pg from "pg";
import { StorageUnavailableError } from "@/db/errors";
import { decideKey, formatErrorBody, type BoundKey, type KeyLookup } from "@/db/rules";
import type {
  DeliveryAnswer,
  DeliveryFailure,
  DeliveryResult,
  EngagementChange,
  IncomingDelivery,
  RecordChange,
  Refusal,
} from "@/db/types";
import type { PgDatabase } from "../client";
import { toStorageError } from "../storage-errors";
import { planEngagement, planRecordChange, recordsTouched, type Locked } from "./apply";
import { insertIfNew } from "./insert-new";
import { withStoredRefs } from "./stored-refs";
import {
  acceptedEntry,
  errorOf,
  logParams,
  NO_WARNINGS,
  rejectedEntry,
  scopeParams,
  type LogEntry,
} from "./log-row";
import { pgJson, pgText } from "./pg-values";
import { CLAIM, FIND_KEY, LOG, LOG_REPEAT, runStatement, WRITE } from "./statements";
import { isTooLargeToIndex, refuseTooLarge } from "./too-large";
import { inTransaction, isRetryable, retryConflicts, WriteRace } from "./transaction";

type Claimed = Locked & {
  deliveryId: number | null;
  bound: BoundKey | null;
  boundElsewhere: boolean;
};

const INTERNAL: DeliveryFailure = {
  status: 500,
  code: "internal_error",
  message: "Something went wrong on our side.",
};

/** What the key decides (db/rules.ts `decideKey`) for this delivery, given what storage found. */
function decideKeyOf(delivery: IncomingDelivery, lookup: KeyLookup) {
  const { change } = delivery;
  return decideKey(lookup, {
    bodyHash: delivery.bodyHash,
    idempotencyKey: delivery.meta.idempotencyKey,
    warnings: "refused" in change ? NO_WARNINGS : change.warnings,
  });
}

/** Writes the log row of an answer already decided, and answers with it. */
async function logAnswer(
  client: pg.ClientBase,
  statement: typeof LOG,
  delivery: IncomingDelivery,
  started: number,
  entry: LogEntry & { responseBody: string },
): Promise<DeliveryResult> {
  const [row] = await runStatement<{ id: number }>(
    client,
    statement,
    logParams(delivery, started, entry),
  );
  return {
    status: entry.status,
    body: entry.responseBody,
    outcome: entry.outcome,
    deliveryId: row!.id,
  };
}

/** A refused body is logged and binds nothing: the sender may fix it and retry with the key. */
async function answerRefused(
  client: pg.ClientBase,
  delivery: IncomingDelivery,
  refused: DeliveryFailure,
  started: number,
): Promise<DeliveryResult> {
  const [bound] = await runStatement<BoundKey>(client, FIND_KEY, scopeParams(delivery));
  const key = decideKeyOf(delivery, { bound: bound ?? null, boundElsewhere: false });
  if (key.kind === "answer") return logAnswer(client, LOG_REPEAT, delivery, started, key.entry);
  return logAnswer(client, LOG, delivery, started, rejectedEntry(refused));
}

/** An event whose key this delivery bound: carried out, with its log row, in one statement. */
async function applyClaimed(
  client: pg.ClientBase,
  delivery: IncomingDelivery,
  change: EngagementChange | RecordChange,
  claimed: Locked & { deliveryId: number; warnings: string[] },
  started: number,
): Promise<DeliveryResult> {
  const { meta } = delivery;
  const { deliveryId, warnings } = claimed;
  const plan =
    change.model === "crmEngagement"
      ? planEngagement(
          change,
          meta.receivedAt,
          await withStoredRefs(client, delivery, change, claimed),
        )
      : planRecordChange(change, meta.receivedAt, claimed);
  const log = logParams(
    delivery,
    started,
    acceptedEntry(plan.outcome, warnings, plan.engagementId),
  );
  const [written] = await runStatement<{ logged: number; recordsInserted: number }>(
    client,
    WRITE[plan.kind],
    { ...log, ...plan.params, deliveryId },
  );
  if (written!.logged !== 1) throw new WriteRace(`engagement ${change.externalId} inserted`);
  if (written!.recordsInserted !== plan.recordInserts) throw new WriteRace("a record inserted");
  return { status: 200, body: delivery.rawBody, outcome: plan.outcome, deliveryId };
}

/**
 * What storage found of the key: bound by this claim (then only others' bindings matter), or
 * bound before, or by a concurrent delivery that committed while the claim waited.
 */
async function lookUpKey(
  client: pg.ClientBase,
  delivery: IncomingDelivery,
  claimed: Claimed,
): Promise<KeyLookup> {
  const { boundElsewhere } = claimed;
  if (claimed.deliveryId !== null) return { bound: null, boundElsewhere };
  const bound =
    claimed.bound ?? (await runStatement<BoundKey>(client, FIND_KEY, scopeParams(delivery)))[0];
  if (!bound) throw new WriteRace("the idempotency key bound, then gone");
  return { bound, boundElsewhere };
}

/** One attempt at a delivery, inside its transaction. */
async function writeOnce(
  client: pg.ClientBase,
  delivery: IncomingDelivery,
  started: number,
): Promise<DeliveryResult> {
  const { meta, change } = delivery;
  if ("refused" in change) return answerRefused(client, delivery, change.refused, started);
  const touched = recordsTouched(change);
  const [claimed] = await runStatement<Claimed>(client, CLAIM, {
    ...scopeParams(delivery),
    bodyHash: delivery.bodyHash,
    rawBody: pgText(delivery.rawBody),
    receivedAt: meta.receivedAt,
    externalId: change.model === "crmEngagement" ? pgText(change.externalId) : null,
    recordModels: touched.models,
    recordIds: touched.ids,
  });
  const key = decideKeyOf(delivery, await lookUpKey(client, delivery, claimed!));
  if (key.kind === "answer") return logAnswer(client, LOG_REPEAT, delivery, started, key.entry);
  // Only a key this claim bound is applied, so the claim drew its delivery id.
  const applying = { ...claimed!, deliveryId: claimed!.deliveryId!, warnings: key.warnings };
  return applyClaimed(client, delivery, change, applying, started);
}

/** What a failed delivery answers: 503 when PostgreSQL cannot take it now, else a logged 500. */
function failureOf(error: unknown): DeliveryFailure {
  const storage = toStorageError(error);
  if (storage instanceof StorageUnavailableError) {
    console.error("ingest write failed", error);
    return storage.failure;
  }
  if (isRetryable(error)) {
    console.error("ingest write kept colliding", error);
    return new StorageUnavailableError({ postgres: "contention" }).failure;
  }
  console.error("ingest failed", error);
  return INTERNAL;
}

/**
 * One delivery's effect and its log row in one transaction: a bound key replays or conflicts;
 * a refusal is logged and binds nothing; an event binds its key to its answer and is applied.
 * The key's primary key decides, across processes, which of concurrent duplicates applies.
 * A new engagement goes in one statement; anything else, or a lost race, takes BEGIN, claim,
 * write, COMMIT.
 */
export async function writeDelivery(
  db: PgDatabase,
  delivery: IncomingDelivery,
): Promise<DeliveryAnswer> {
  const started = performance.now();
  try {
    return { ok: true, result: await writeOrRefuse(db, delivery, started) };
  } catch (error) {
    return { ok: false, error: failureOf(error) };
  }
}

async function writeOrRefuse(db: PgDatabase, delivery: IncomingDelivery, started: number) {
  try {
    return (
      (await insertIfNew(db, delivery, started)) ??
      (await retryConflicts(() =>
        inTransaction(db.$client, (client) => writeOnce(client, delivery, started)),
      ))
    );
  } catch (error) {
    if (isTooLargeToIndex(error)) return refuseTooLarge(db, delivery, error, started);
    throw error;
  }
}

/** Logs a request refused before it was read as a delivery, so the log shows every attempt. */
export async function logRefusal(db: PgDatabase, refusal: Refusal): Promise<void> {
  const { error, rawBody } = refusal;
  await runStatement(db.$client, LOG, {
    receivedAt: refusal.receivedAt,
    connectorId: pgText(refusal.connectorId),
    connectionOwnerId: pgText(refusal.connectionOwnerId),
    idempotencyKey: pgText(refusal.idempotencyKey),
    event: pgText(refusal.about.event),
    model: pgText(refusal.about.model),
    resourceId: pgText(refusal.about.resourceId),
    engagementId: null,
    outcome: "rejected",
    httpStatus: error.status,
    error: pgJson(errorOf(error)),
    warnings: pgJson(NO_WARNINGS),
    durationMs: 0,
    body: pgText(rawBody),
    bodyHash: refusal.bodyHash,
    bodyBytes: rawBody === null ? null : Buffer.byteLength(rawBody),
    headers: pgJson(refusal.headers),
    responseBody: pgText(formatErrorBody(error)),
    originalDeliveryId: null,
  });
}
