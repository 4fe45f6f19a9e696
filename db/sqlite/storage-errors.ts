import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import type { DeliveryFailure } from "@/db/types";
import { StorageUnavailableError } from "../errors";

const RETRYABLE = /^SQLITE_(FULL|READONLY|BUSY|LOCKED|IOERR|CANTOPEN|PROTOCOL)/;

/** The SQLite error code of a write the database could not take (disk full, read-only, locked). */
function retryableCode(error: unknown): string | null {
  const code = (error as { code?: unknown })?.code;
  return typeof code === "string" && RETRYABLE.test(code) ? code : null;
}

export function asStorageFailure(error: unknown): DeliveryFailure | null {
  const code = retryableCode(error);
  return code === null ? null : new StorageUnavailableError({ sqlite: code }).failure;
}

/** Runs `fn`, turning a SQLite storage fault into a StorageUnavailableError. */
export function withStorageErrors<T>(fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    const code = retryableCode(error);
    if (code === null) throw error;
    throw new StorageUnavailableError({ sqlite: code }, { cause: error });
  }
}

/**
 * Free space health's own write wants besides going through: room for the WAL to reach its
 * checkpoint size (1000 pages of 4 KiB). A failed write leaves the space it took in the WAL
 * file, so on a full disk a one-page write can still succeed where deliveries do not.
 */
const PROBE_FREE_BYTES = 4 * 1024 * 1024;

/** Health's write (db/write-health.ts): enough free space, and the header rewritten as it is. */
export function probeWrite(sqlite: Database.Database) {
  if (sqlite.name !== ":memory:") {
    const { bavail, bsize } = fs.statfsSync(path.dirname(sqlite.name));
    if (bavail * bsize < PROBE_FREE_BYTES)
      throw new StorageUnavailableError({
        sqlite: "SQLITE_FULL",
        freeBytes: String(bavail * bsize),
      });
  }
  withStorageErrors(() => {
    const version = sqlite.pragma("user_version", { simple: true }) as number;
    sqlite.pragma(`user_version = ${version}`);
  });
}
