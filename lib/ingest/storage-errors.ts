import { HttpError } from "@/lib/http-error";

const RETRYABLE = /^SQLITE_(FULL|READONLY|BUSY|LOCKED|IOERR|CANTOPEN|PROTOCOL)/;

/**
 * A database that cannot take the write (disk full, read-only, locked) answers 503, so the
 * sender retries later instead of counting the event as delivered.
 */
export function asStorageError(error: unknown): HttpError | null {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "string" || !RETRYABLE.test(code)) return null;
  return new HttpError(
    503,
    "storage_unavailable",
    "The database cannot take writes right now; retry later.",
    {
      sqlite: code,
    },
  );
}
