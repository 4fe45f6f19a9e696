import { getDatabase } from "@/db/client";
import {
  authenticateBeforeBody,
  verifySignature,
  type WebhookAuthMethod,
} from "@/lib/auth/webhook";
import { MAX_BODY_BYTES } from "@/lib/config";
import { errorResponse, HttpError } from "@/lib/http-error";
import { logRefusal } from "@/lib/ingest";
import { readBodyWithLimit } from "@/lib/ingest/read-body";
import { asStorageError } from "@/lib/ingest/storage-errors";
import { getIngestWriter } from "@/lib/ingest/writer";

export const dynamic = "force-dynamic";

const LOGGED_HEADERS = [
  "content-type",
  "content-length",
  "user-agent",
  "x-conector-id",
  "x-connector-id",
  "x-owner-id",
  "x-idempotency-key",
  "webhook-id",
  "webhook-timestamp",
  "x-forwarded-for",
];

function loggedHeaders(request: Request, method: WebhookAuthMethod) {
  const kept: Record<string, string> = {};
  for (const name of LOGGED_HEADERS) {
    const value = request.headers.get(name);
    if (value !== null) kept[name] = value;
  }
  kept["x-auth-method"] = method;
  return kept;
}

function isJsonContentType(value: string | null) {
  const mediaType = value?.split(";")[0]?.trim().toLowerCase() ?? "";
  return mediaType === "application/json" || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

export async function POST(request: Request): Promise<Response> {
  const receivedAt = Date.now();
  const auth = authenticateBeforeBody(request);
  if (auth.state === "refused") {
    return new HttpError(401, "unauthorized", auth.reason).toResponse({
      "www-authenticate": "Bearer",
    });
  }

  let rawBody: string | null = null;
  let method: WebhookAuthMethod;
  if (auth.state === "needs-signature") {
    try {
      rawBody = await readBodyWithLimit(request, MAX_BODY_BYTES);
    } catch (error) {
      // Unverified: answer, but store nothing.
      return errorResponse(error);
    }
    const verified = verifySignature(rawBody, request.headers);
    if (!verified.ok) return new HttpError(401, "unauthorized", verified.reason).toResponse();
    method = "signature";
  } else {
    method = auth.method;
  }

  const headers = loggedHeaders(request, method);
  const connectorId = request.headers.get("x-conector-id") ?? request.headers.get("x-connector-id");
  const connectionOwnerId = request.headers.get("x-owner-id");
  const idempotencyKey = request.headers.get("x-idempotency-key");
  const refuse = (error: HttpError) => {
    try {
      logRefusal(
        getDatabase(),
        { connectorId, connectionOwnerId, idempotencyKey, headers, receivedAt, rawBody },
        error,
      );
    } catch (logError) {
      console.error("could not log a refused delivery", logError);
    }
    return error.toResponse();
  };

  try {
    if (!isJsonContentType(request.headers.get("content-type"))) {
      return refuse(
        new HttpError(415, "unsupported_media_type", "Send the event as application/json.", {
          contentType: request.headers.get("content-type"),
        }),
      );
    }
    const missing = [
      ["x-conector-id", connectorId],
      ["x-owner-id", connectionOwnerId],
      ["x-idempotency-key", idempotencyKey],
    ].find(([, value]) => !value?.trim());
    if (missing) {
      const name =
        missing[0] === "x-conector-id" ? "x-conector-id (or x-connector-id)" : missing[0];
      return refuse(
        new HttpError(400, "missing_header", `Missing header ${name}.`, { header: missing[0] }),
      );
    }
    if (rawBody === null) {
      try {
        rawBody = await readBodyWithLimit(request, MAX_BODY_BYTES);
      } catch (error) {
        if (error instanceof HttpError) return refuse(error);
        throw error;
      }
    }

    // Answered once the delivery's group has committed (see lib/ingest/writer.ts).
    const answer = await getIngestWriter().submit({
      rawBody,
      meta: {
        connectorId: connectorId!.trim(),
        connectionOwnerId: connectionOwnerId!.trim(),
        idempotencyKey: idempotencyKey!.trim(),
        headers,
        receivedAt,
      },
    });
    if (!answer.ok) {
      const { status, code, message, details } = answer.error;
      return new HttpError(status, code, message, details).toResponse(
        status === 503 ? { "retry-after": "5" } : undefined,
      );
    }
    const { result } = answer;
    return new Response(result.body, {
      status: result.status,
      headers: {
        "content-type": "application/json",
        "x-delivery-id": String(result.deliveryId),
        "x-delivery-outcome": result.outcome,
      },
    });
  } catch (error) {
    const storage = asStorageError(error);
    if (storage) {
      console.error("webhook write failed", error);
      return storage.toResponse({ "retry-after": "5" });
    }
    return errorResponse(error);
  }
}
