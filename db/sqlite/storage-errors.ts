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
