import { createHmac } from "node:crypto";
import { appSecret, safeEqual } from "@/lib/auth/secrets";
import { isEnabled } from "@/lib/config";

export const SESSION_COOKIE = "ev_session";
/** Stateless sessions last this long; changing the password ends them all sooner. */
export const SESSION_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
export const DEFAULT_AFTER_SIGN_IN = "/engagements";

// The cookie is an HMAC of a fixed label keyed by the password: nothing to store server-side,
// and a new password invalidates every cookie issued under the old one.
const SESSION_LABEL = "engagement-viewer session v1";

export function sessionToken(password: string): string {
  return createHmac("sha256", password).update(SESSION_LABEL).digest("base64url");
}

export function isValidSessionToken(token: string | undefined | null, password: string): boolean {
  if (!token) return false;
  return safeEqual(token, sessionToken(password));
}

export function checkPassword(candidate: string | null | undefined, password: string): boolean {
  if (typeof candidate !== "string" || candidate.length === 0) return false;
  return safeEqual(candidate, password);
}

/** `APP_ALLOW_PUBLIC=1` serves pages and the read API without a login. */
export function isPublicAccess(env: NodeJS.ProcessEnv = process.env): boolean {
  return isEnabled(env.APP_ALLOW_PUBLIC);
}

/** Reads one cookie from a `Cookie` header. */
export function readCookie(header: string | null, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether a request carries a valid session cookie (or the app is public). */
/** Whether a session cookie's value signs in under the app's password. */
export async function isSignedIn(token: string | undefined | null): Promise<boolean> {
  return isValidSessionToken(token, await appSecret("app-password"));
}

export async function isAuthenticatedRequest(request: Request): Promise<boolean> {
  if (isPublicAccess()) return true;
  return isSignedIn(readCookie(request.headers.get("cookie"), SESSION_COOKIE));
}

/** HTTPS as the browser saw it: behind a proxy, the first `x-forwarded-proto` says. */
export function isHttpsRequest(request: Request): boolean {
  const forwarded = request.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  return new URL(request.url).protocol === "https:";
}

/** The `Set-Cookie` value that signs a browser in (or out, with `value` null). */
export function sessionCookieHeader(request: Request, value: string | null): string {
  const parts = [
    `${SESSION_COOKIE}=${value ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    value === null ? "Max-Age=0" : `Max-Age=${SESSION_MAX_AGE_SECONDS}`,
  ];
  if (isHttpsRequest(request)) parts.push("Secure");
  return parts.join("; ");
}

/**
 * Where to send the browser after signing in: only a same-origin path. Anything that could
 * leave the site (`//evil`, `/\evil`, `https://…`, control characters) falls back to the default.
 */
export function safeNextPath(raw: unknown): string {
  if (typeof raw !== "string" || raw.length === 0 || raw.length > 2048)
    return DEFAULT_AFTER_SIGN_IN;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (/[\u0000-\u001f\u007f\s]/.test(raw)) return DEFAULT_AFTER_SIGN_IN;
  const base = "http://same-origin.invalid";
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  if (url.origin !== base) return DEFAULT_AFTER_SIGN_IN;
  // Back to the sign-in screens would only loop.
  if (url.pathname === "/login" || url.pathname.startsWith("/api/session")) {
    return DEFAULT_AFTER_SIGN_IN;
  }
  return `${url.pathname}${url.search}${url.hash}`;
}
