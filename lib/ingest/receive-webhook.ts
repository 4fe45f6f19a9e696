import { getStore } from "@/db/app-store";
import type { Store } from "@/db/store";
import type { DeliveryAnswer, DeliveryMeta } from "@/db/types";
import {
  authenticateBeforeBody,
  verifySignature,
  type WebhookAuthMethod,
} from "@/lib/auth/webhook";
import { appSecret } from "@/lib/auth/secrets";
import { MAX_BODY_BYTES } from "@/lib/config";
import { errorResponse, HttpError } from "@/lib/http-error";
import { watchWebhook, type IngestPort } from "@/lib/metrics/ingest-metrics";
import { readBodyWithLimit } from "./read-body";
import { hashBody, peekDelivery, readDelivery } from "./read-delivery";

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

/** Credentials first: an unauthenticated request is answered without reading its body. */
async function authenticate(request: Request) {
  // On PostgreSQL the secret is kept in the database: unreachable, this throws and answers 503.
  const secret = await appSecret("webhook-secret");
  const auth = authenticateBeforeBody(request, secret);
  if (auth.state === "refused") {
    return new HttpError(401, "unauthorized", auth.reason).toResponse({
      "www-authenticate": "Bearer",
    });
  }
  if (auth.state === "accepted") return { method: auth.method, rawBody: null };
  // Unverified until the signature checks out: answered, but nothing is stored.
  const rawBody = await readBodyWithLimit(request, MAX_BODY_BYTES);
  const verified = verifySignature(rawBody, request.headers, secret);
  if (!verified.ok) return new HttpError(401, "unauthorized", verified.reason).toResponse();
  return { method: "signature" as const, rawBody };
}

/** What an authenticated request must carry before its body is read as a delivery. */
function checkRequest(request: Request, identity: Identity) {
  const contentType = request.headers.get("content-type");
  if (!isJsonContentType(contentType)) {
    return new HttpError(415, "unsupported_media_type", "Send the event as application/json.", {
      contentType,
    });
  }
  const missing = [
    ["x-conector-id", "x-conector-id (or x-connector-id)"],
    ["x-owner-id", "x-owner-id"],
    ["x-idempotency-key", "x-idempotency-key"],
  ].find(([header]) => !identity[header as keyof Identity]?.trim());
  if (missing) {
    return new HttpError(400, "missing_header", `Missing header ${missing[1]}.`, {
      header: missing[0],
    });
  }
  return null;
}

type Identity = ReturnType<typeof identityOf>;

function identityOf(request: Request) {
  return {
    "x-conector-id": request.headers.get("x-conector-id") ?? request.headers.get("x-connector-id"),
    "x-owner-id": request.headers.get("x-owner-id"),
    "x-idempotency-key": request.headers.get("x-idempotency-key"),
  };
}

function answerResponse(answer: DeliveryAnswer): Response {
  if (!answer.ok) return HttpError.from(answer.error).toResponse();
  const { result } = answer;
  return new Response(result.body, {
    status: result.status,
    headers: {
      "content-type": "application/json",
      "x-delivery-id": String(result.deliveryId),
      "x-delivery-outcome": result.outcome,
    },
  });
}

/**
 * POST /api/webhooks/morph: authenticate, check the request, read its body within the limit,
 * and answer once the delivery is committed. Every authenticated attempt gets a log row.
 */
export async function receiveWebhook(
  request: Request,
  store: Store = getStore(),
): Promise<Response> {
  const watch = watchWebhook(store);
  const response = await answerWebhook(request, watch.port);
  watch.answered(response);
  return response;
}

async function answerWebhook(request: Request, store: IngestPort): Promise<Response> {
  const receivedAt = Date.now();
  try {
    const auth = await authenticate(request);
    if (auth instanceof Response) return auth;
    const headers = loggedHeaders(request, auth.method);
    const identity = identityOf(request);
    let rawBody = auth.rawBody;
    const refuse = async (error: HttpError) => {
      const refusal = {
        connectorId: identity["x-conector-id"],
        connectionOwnerId: identity["x-owner-id"],
        idempotencyKey: identity["x-idempotency-key"],
        headers,
        receivedAt,
        rawBody,
        bodyHash: rawBody === null ? null : hashBody(rawBody),
        about: peekDelivery(rawBody),
        error: error.failure,
      };
      await store.logRefusal(refusal).catch((logError) => {
        console.error("could not log a refused delivery", logError);
      });
      return error.toResponse();
    };
    const refused = checkRequest(request, identity);
    if (refused) return await refuse(refused);
    if (rawBody === null) {
      try {
        rawBody = await readBodyWithLimit(request, MAX_BODY_BYTES);
      } catch (error) {
        if (error instanceof HttpError) return await refuse(error);
        throw error;
      }
    }
    const meta: DeliveryMeta = {
      connectorId: identity["x-conector-id"]!.trim(),
      connectionOwnerId: identity["x-owner-id"]!.trim(),
      idempotencyKey: identity["x-idempotency-key"]!.trim(),
      headers,
      receivedAt,
    };
    return answerResponse(await store.ingestDelivery(readDelivery(rawBody, meta)));
  } catch (error) {
    return errorResponse(error);
  }
}
