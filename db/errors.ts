import type { DeliveryFailure } from "./types";

/** The database cannot take the request right now (disk full, read-only, unreachable): retry later. */
export class StorageUnavailableError extends Error {
  readonly failure: DeliveryFailure;

  constructor(details: Record<string, string>, options?: ErrorOptions) {
    const message = "The database cannot take writes right now; retry later.";
    super(message, options);
    this.name = "StorageUnavailableError";
    this.failure = { status: 503, code: "storage_unavailable", message, details };
  }
}
