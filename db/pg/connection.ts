import { StorageUnavailableError } from "../errors";
import { createPgDatabase, migratePg, type PgDatabase } from "./client";
import { toStorageError } from "./storage-errors";

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

/**
 * The pool and its migrations. Starting never waits for the server: the first call that needs
 * the database connects and migrates; while it cannot, calls reject with StorageUnavailableError
 * and a retry runs in the background with backoff, so the app comes back by itself.
 */
export function connectPg(url: string, options: { max?: number } = {}) {
  const db = createPgDatabase(url, options);
  let migrated: Promise<PgDatabase> | null = null;
  let retryMs = FIRST_RETRY_MS;
  let timer: NodeJS.Timeout | null = null;
  let closed = false;

  const attempt = (): Promise<PgDatabase> =>
    migratePg(db).then(
      () => {
        retryMs = FIRST_RETRY_MS;
        return db;
      },
      (error) => {
        migrated = null;
        if (!closed && !timer) {
          timer = setTimeout(() => {
            timer = null;
            if (!closed) void ready().catch(() => {});
          }, retryMs);
          timer.unref();
          retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
        }
        throw toStorageError(error);
      },
    );

  /** The migrated database, or a rejection with why not (StorageUnavailableError when down). */
  function ready(): Promise<PgDatabase> {
    if (closed) return Promise.reject(new StorageUnavailableError({ postgres: "closed" }));
    migrated ??= attempt();
    return migrated;
  }

  return {
    db,
    ready,
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await db.$client.end();
    },
  };
}
