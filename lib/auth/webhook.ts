import { Webhook } from "standardwebhooks";
import { setting } from "@/lib/config";
import { safeEqual } from "./secrets";

export type WebhookAuthMethod = "token" | "bearer" | "signature" | "unsigned";

/**
 * The decision that can be made before reading the body: accepted (token, Bearer, or no
 * credentials when unsigned requests are allowed), refused, or waiting on a signature check.
 * Refusing here keeps unauthenticated floods cheap: their bodies are never read.
 */
export type PreBodyAuth =
  | { state: "accepted"; method: WebhookAuthMethod }
  | { state: "needs-signature" }
  | { state: "refused"; reason: string };

export function authenticateBeforeBody(request: Request, secret: string): PreBodyAuth {
  const url = new URL(request.url);
  const token = url.searchParams.get("token");
  if (token !== null && safeEqual(token, secret)) return { state: "accepted", method: "token" };

  const authorization = request.headers.get("authorization");
  const bearer = authorization?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim();
  if (bearer !== undefined && safeEqual(bearer, secret))
    return { state: "accepted", method: "bearer" };

  const hasSignature = ["webhook-id", "webhook-timestamp", "webhook-signature"].some((name) =>
    request.headers.has(name),
  );
  if (hasSignature) return { state: "needs-signature" };

  const offeredCredentials = token !== null || authorization !== null;
  if (!offeredCredentials && setting("WEBHOOK_ALLOW_UNSIGNED")) {
    return { state: "accepted", method: "unsigned" };
  }
  return {
    state: "refused",
    reason: offeredCredentials
      ? "The webhook token or Bearer secret does not match."
      : "Credentials required: add ?token=<secret> to the webhook URL, send Authorization: Bearer <secret>, or sign with Standard Webhooks.",
  };
}

function webhookVerifier(secret: string) {
  try {
    return new Webhook(secret);
  } catch {
    // A secret that is not base64 (a hand-picked WEBHOOK_SECRET) signs as its raw bytes.
    return new Webhook(secret, { format: "raw" });
  }
}

const verifiers = new Map<string, Webhook>();

/** Checks a Standard Webhooks signature (5-minute timestamp tolerance, constant-time compare). */
export function verifySignature(
  rawBody: string,
  headers: Headers,
  secret: string,
): { ok: true } | { ok: false; reason: string } {
  let verifier = verifiers.get(secret);
  if (!verifier) {
    verifier = webhookVerifier(secret);
    verifiers.set(secret, verifier);
  }
  try {
    verifier.verify(
      rawBody,
      {
        "webhook-id": headers.get("webhook-id") ?? "",
        "webhook-timestamp": headers.get("webhook-timestamp") ?? "",
        "webhook-signature": headers.get("webhook-signature") ?? "",
      },
      { jsonParse: false },
    );
    return { ok: true };
  } catch (error) {
    return {
      ok: false,
      reason: `Standard Webhooks signature rejected: ${(error as Error).message}`,
    };
  }
}
