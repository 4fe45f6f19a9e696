import type Database from "better-sqlite3";

/**
 * Group commit for the benchmark's bare servers (scripts/lib/bench-server.ts), the way the app's
 * writer does it (db/sqlite/ingest/writer.ts): what arrives in one turn of the event loop is applied as
 * one group, in one IMMEDIATE transaction with a savepoint per item.
 */

/** Why an item was not applied, as the bare server answers it. */
export type Failure = { status: number; code: string; message: string };
export type Answer<R> = { ok: true; result: R } | { ok: false; error: Failure };

/** The most items one transaction takes, as in the app's writer, so a group's latency stays bounded. */
export const MAX_GROUP = 100;

/** The status and code an error carries (the app's HttpError does), else a 500. */
export function failureFrom(error: unknown): Failure {
  const { status, code } = (error ?? {}) as { status?: unknown; code?: unknown };
  if (error instanceof Error && typeof status === "number") {
    return { status, code: typeof code === "string" ? code : "error", message: error.message };
  }
  console.error("bench write failed", error);
  return { status: 500, code: "internal_error", message: "Something went wrong on our side." };
}

/** `applyOne` answering what it returned, or the failure it threw. */
export function answering<T, R>(applyOne: (item: T) => R): (item: T) => Answer<R> {
  return (item) => {
    try {
      return { ok: true, result: applyOne(item) };
    } catch (error) {
      return { ok: false, error: failureFrom(error) };
    }
  };
}

/**
 * `applyOne` for each item inside ONE IMMEDIATE transaction, each in its own savepoint (a nested
 * better-sqlite3 transaction), so the group pays one COMMIT and one fsync. An item that throws
 * rolls back its savepoint and answers its error; the others stand. If the transaction itself
 * fails (BEGIN, COMMIT, or an error after which SQLite rolled everything back), every item
 * answers that failure: nothing of the group is on disk.
 */
export function applyInOneTransaction<T, R>(
  sqlite: Database.Database,
  items: readonly T[],
  applyOne: (item: T) => R,
): Answer<R>[] {
  const answers: Answer<R>[] = [];
  try {
    sqlite
      .transaction(() => {
        for (const item of items) {
          try {
            // A wrapper per item, as ingest() makes its own per delivery: both sides pay the same.
            answers.push({ ok: true, result: sqlite.transaction(applyOne)(item) });
          } catch (error) {
            if (!sqlite.inTransaction) throw error;
            answers.push({ ok: false, error: failureFrom(error) });
          }
        }
      })
      .immediate();
  } catch (error) {
    const failure = failureFrom(error);
    return items.map(() => ({ ok: false, error: failure }));
  }
  return answers;
}

/**
 * Collects what is submitted within one turn of the event loop and hands it to `applyGroup`, at
 * most MAX_GROUP at a time; each submission resolves with its own answer once its group is done.
 */
export function createBatcher<T, R>(applyGroup: (items: T[]) => Answer<R>[]) {
  let queue: { item: T; resolve: (answer: Answer<R>) => void }[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (let start = 0; start < batch.length; start += MAX_GROUP) {
      const group = batch.slice(start, start + MAX_GROUP);
      const answers = applyGroup(group.map((p) => p.item));
      group.forEach((p, i) => p.resolve(answers[i]!));
    }
  };
  return (item: T): Promise<Answer<R>> =>
    new Promise((resolve) => {
      queue.push({ item, resolve });
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    });
}
