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

  toJSON() {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }

  toResponse(headers?: HeadersInit) {
    return Response.json(this.toJSON(), { status: this.status, headers });
  }
}

/** Any thrown value as a response: HttpErrors as themselves, anything else as a logged 500. */
export function errorResponse(error: unknown): Response {
  if (error instanceof HttpError) return error.toResponse();
  console.error(error);
  return new HttpError(500, "internal_error", "Something went wrong on our side.").toResponse();
}
