import type Database from "better-sqlite3";
import type { AppDatabase } from "@/db/client";
import { HttpError } from "@/lib/http-error";
import { ingest, type DeliveryMeta, type DeliveryResult } from "./index";
import { asStorageError } from "./storage-errors";

export type Delivery = { rawBody: string; meta: DeliveryMeta };

/** An error a delivery answers with, as plain data so it can cross to another thread. */
export type DeliveryFailure = { status: number; code: string; message: string; details?: unknown };

/** What one delivery's request answers: its result once committed, or why it was not. */
export type DeliveryAnswer<R = DeliveryResult> =
  { ok: true; result: R } | { ok: false; error: DeliveryFailure };

/** The most deliveries one transaction takes, so one group's latency stays bounded. */
export const MAX_GROUP = 100;

export function failureOf(error: unknown): DeliveryFailure {
  const storage = asStorageError(error);
  if (storage) console.error("ingest write failed", error);
  const known = error instanceof HttpError ? error : storage;
  if (known) {
    return {
      status: known.status,
      code: known.code,
      message: known.message,
      ...(known.details === undefined ? {} : { details: known.details }),
    };
  }
  console.error("ingest failed", error);
  return { status: 500, code: "internal_error", message: "Something went wrong on our side." };
}

/**
 * Group commit: the deliveries that arrived together go through `ingest()` in ONE IMMEDIATE
 * transaction, each as a savepoint of it (better-sqlite3 nests a transaction that way), so the
 * group pays one COMMIT and one fsync. A delivery that throws rolls back its own savepoint and
 * answers its own error; the others stand. If the transaction itself fails (BEGIN, an error
 * after which SQLite rolled everything back, or COMMIT), nothing of the group is on disk and
 * every delivery answers that failure (503 for storage), so no answer claims an uncommitted write.
 */
export function ingestGroup(db: AppDatabase, deliveries: readonly Delivery[]): DeliveryAnswer[] {
  return applyGroup(db.$client, deliveries, ({ rawBody, meta }) => ingest(db, rawBody, meta));
}

/**
 * `ingestGroup`'s transaction around any per-delivery function that opens its own (nested)
 * transaction: the benchmark runs its raw-SQL floor through the same commit strategy.
 */
export function applyGroup<R>(
  sqlite: Database.Database,
  deliveries: readonly Delivery[],
  applyOne: (delivery: Delivery) => R,
): DeliveryAnswer<R>[] {
  const answers: DeliveryAnswer<R>[] = [];
  try {
    sqlite
      .transaction(() => {
        for (const delivery of deliveries) {
          try {
            answers.push({ ok: true, result: applyOne(delivery) });
          } catch (error) {
            if (!sqlite.inTransaction) throw error;
            answers.push({ ok: false, error: failureOf(error) });
          }
        }
      })
      .immediate();
  } catch (error) {
    const failure = failureOf(error);
    return deliveries.map(() => ({ ok: false, error: failure }));
  }
  return answers;
}
