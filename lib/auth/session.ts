import { safeEqual } from "@/lib/auth/secrets";
import { checkSession, endSession, type StartedSession } from "@/lib/auth/server-session";
import { setting, type Env } from "@/lib/config";
import { isHttpsRequest } from "@/lib/request-origin";

export const SESSION_COOKIE = "ev_session";
export const DEFAULT_AFTER_SIGN_IN = "/engagements";

export function checkPassword(candidate: string | null | undefined, password: string): boolean {
  if (typeof candidate !== "string" || candidate.length === 0) return false;
  return safeEqual(candidate, password);
}

/** `APP_ALLOW_PUBLIC=1` serves pages and the read API without a login. */
export function isPublicAccess(env: Env = process.env): boolean {
  return setting("APP_ALLOW_PUBLIC", env);
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

/** Whether a session cookie's value names a live session. */
export async function isSignedIn(id: string | undefined | null): Promise<boolean> {
  return checkSession(id);
}

const sessionIdOf = (request: Request) => readCookie(request.headers.get("cookie"), SESSION_COOKIE);

/** Whether a request carries a live session's cookie (or the app is public). */
export async function isAuthenticatedRequest(request: Request): Promise<boolean> {
  if (isPublicAccess()) return true;
  return isSignedIn(sessionIdOf(request));
}

/** Ends the session a request's cookie names, if any. */
export async function endRequestSession(request: Request): Promise<void> {
  await endSession(sessionIdOf(request));
}

/** The `Set-Cookie` value that signs a browser in to `session` (or out, with null). */
export function sessionCookieHeader(request: Request, session: StartedSession | null): string {
  const parts = [
    `${SESSION_COOKIE}=${session?.id ?? ""}`,
    "Path=/",
    "HttpOnly",
    "SameSite=Lax",
    `Max-Age=${session?.maxAgeSeconds ?? 0}`,
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
