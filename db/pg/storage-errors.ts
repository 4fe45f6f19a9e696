import { StorageUnavailableError } from "../errors";

/**
 * SQLSTATE classes that mean "not now" rather than "never": connection trouble (08), too many
 * connections / out of resources (53), shutting down or crashed (57P), system errors (58), and
 * a read-only standby (25006).
 */
const UNAVAILABLE_STATE = /^(08|53|57P|58|25006)/;
/** Node socket errors from a server that is down or went away. */
const UNAVAILABLE_ERRNO = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EPIPE",
  "ENOENT",
]);
const UNAVAILABLE_MESSAGE =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Cannot use a pool after calling end/i;

/** The reason `error` means PostgreSQL cannot answer right now, or null for any other error. */
export function unavailableReason(error: unknown): string | null {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === "string" && (UNAVAILABLE_STATE.test(code) || UNAVAILABLE_ERRNO.has(code)))
    return code;
  if (typeof message === "string" && UNAVAILABLE_MESSAGE.test(message)) return "connection";
  const cause = (error as { cause?: unknown })?.cause;
  return cause && cause !== error ? unavailableReason(cause) : null;
}

/** Serialization failures and deadlocks: the transaction is retried, never answered as a 5xx. */
export function isRetryableConflict(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (code === "40001" || code === "40P01") return true;
  const cause = (error as { cause?: unknown })?.cause;
  return cause !== undefined && cause !== error && isRetryableConflict(cause);
}

export function toStorageError(error: unknown): unknown {
  if (error instanceof StorageUnavailableError) return error;
  const reason = unavailableReason(error);
  return reason === null
    ? error
    : new StorageUnavailableError({ postgres: reason }, { cause: error });
}

/** Runs `fn`, turning PostgreSQL being unreachable into a StorageUnavailableError. */
export async function withPgStorageErrors<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw toStorageError(error);
  }
}
