import { StorageUnavailableError } from "@/db/errors";
import type { DeliveryFailure } from "@/db/types";

/** Seconds a client is asked to wait before retrying a 503. */
const RETRY_AFTER_SECONDS = "5";

/** The API's one error shape: `{"error":{"code","message","details?"}}` with a stable code. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "HttpError";
  }

  static from({ status, code, message, details }: DeliveryFailure) {
    return new HttpError(status, code, message, details);
  }

  get failure(): DeliveryFailure {
    const { status, code, message, details } = this;
    return details === undefined ? { status, code, message } : { status, code, message, details };
  }

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }

  /** A 503 always says when to come back. */
  toResponse(headers?: HeadersInit) {
    const all = new Headers(headers);
    if (this.status === 503) all.set("retry-after", RETRY_AFTER_SECONDS);
    return Response.json(this.toJSON(), { status: this.status, headers: all });
  }
}

/** Any thrown value as a response: HttpErrors as themselves, storage faults as 503, else a logged 500. */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) return error.toResponse();
  if (error instanceof StorageUnavailableError) {
    console.error("storage unavailable", error.cause ?? error);
    return HttpError.from(error.failure).toResponse();
  }
  console.error(error);
  return new HttpError(500, "internal_error", "Something went wrong on our side.").toResponse();
}

/** The same mapping for a browser: a small HTML page that says what happened and to retry. */
export function errorPageResponse(error: unknown): Response {
  const json = errorResponse(error);
  const unavailable = json.status === 503;
  const title = unavailable ? "The database is not answering" : "Something went wrong on our side";
  const hint = unavailable
    ? "The app reconnects by itself as soon as the database is back. Try again in a few seconds."
    : "Trying again often helps; the server log has the details.";
  const html = `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title><main><h1>${title}</h1><p>${hint}</p><p><a href="">Try again</a></p></main></html>`;
  const headers = new Headers(json.headers);
  headers.set("content-type", "text/html; charset=utf-8");
  headers.set("cache-control", "no-store");
  return new Response(html, { status: json.status, headers });
}
