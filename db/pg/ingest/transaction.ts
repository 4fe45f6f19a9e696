import type pg from "pg";
import { isRetryableConflict } from "../storage-errors";

/** Another writer committed, meanwhile, a row this transaction decided about: start over. */
export class WriteRace extends Error {
  constructor(what: string) {
    super(`a concurrent writer got there first: ${what}`);
    this.name = "WriteRace";
  }
}

/** Worth another attempt: a deadlock, a serialization failure, or a lost insert race. */
export const isRetryable = (error: unknown) =>
  error instanceof WriteRace || isRetryableConflict(error);

const ATTEMPTS = 8;
/** Jittered, doubling: up to 2, 4, 8 … 64 ms, so colliding writers do not collide again. */
const backoffMs = (attempt: number) => Math.random() * Math.min(64, 2 ** attempt);

/**
 * `fn` in one transaction on one pooled connection: COMMIT before the result is returned. A
 * client that lost its server or cannot roll back is dropped from the pool, not reused.
 * (Drizzle's `db.transaction` runs no named statements, hears no connection errors, and its
 * failed ROLLBACK hides the first error.)
 */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  // A checked-out client whose server goes away emits "error"; unheard, it would end the process.
  const onError = (error: Error) => {
    broken = error;
  };
  client.on("error", onError);
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch((rollbackError: Error) => {
      broken = rollbackError;
    });
    throw error;
  } finally {
    client.release(broken);
    client.off("error", onError);
  }
}

/** Runs `attempt` again, a few times, when it failed in a way another attempt can fix. */
export async function retryConflicts<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= ATTEMPTS || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(n)));
    }
  }
}
