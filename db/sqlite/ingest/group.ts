import type { DeliveryAnswer, DeliveryFailure, IncomingDelivery } from "@/db/types";
import type { AppDatabase } from "../client";
import { asStorageFailure } from "../storage-errors";
import { writeDelivery } from "./write-delivery";

/** The most deliveries one transaction takes, so one group's latency stays bounded. */
export const MAX_GROUP = 100;

const INTERNAL: DeliveryFailure = {
  status: 500,
  code: "internal_error",
  message: "Something went wrong on our side.",
};

function failureOf(error: unknown): DeliveryFailure {
  const storage = asStorageFailure(error);
  console.error(storage ? "ingest write failed" : "ingest failed", error);
  return storage ?? INTERNAL;
}

/**
 * Group commit: the deliveries that arrived together are written in ONE IMMEDIATE transaction,
 * each in a savepoint of it, so the group pays one COMMIT and one fsync. A delivery that throws
 * rolls back its own savepoint and answers its own error; the others stand. If the transaction
 * itself fails (BEGIN, an error after which SQLite rolled everything back, or COMMIT), nothing
 * of the group is on disk and every delivery answers that failure, so no answer claims an
 * uncommitted write.
 */
export function writeGroup(
  db: AppDatabase,
  deliveries: readonly IncomingDelivery[],
): DeliveryAnswer[] {
  const sqlite = db.$client;
  const inSavepoint = sqlite.transaction((delivery: IncomingDelivery) =>
    writeDelivery(db, delivery),
  );
  const answers: DeliveryAnswer[] = [];
  try {
    sqlite
      .transaction(() => {
        for (const delivery of deliveries) {
          try {
            answers.push({ ok: true, result: inSavepoint(delivery) });
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
