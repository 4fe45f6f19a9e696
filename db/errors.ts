import type { DeliveryFailure } from "./types";

// A brand, not `instanceof`: Next bundles this module once per entry (instrumentation, each
// route), and the store made in one bundle throws its error into another.
const BRAND = Symbol.for("engagement-viewer.StorageUnavailableError");

/** The database cannot take the request right now (disk full, read-only, unreachable): retry later. */
export class StorageUnavailableError extends Error {
  readonly failure: DeliveryFailure;
  readonly [BRAND] = true;

  constructor(details: Record<string, string>, options?: ErrorOptions) {
    const message = "The database cannot take writes right now; retry later.";
    super(message, options);
    this.name = "StorageUnavailableError";
    this.failure = { status: 503, code: "storage_unavailable", message, details };
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && BRAND in value;
  }
}
