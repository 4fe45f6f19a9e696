import { signInLimiter } from "@/lib/auth/rate-limit";
import { refuseCrossOrigin } from "@/lib/auth/same-origin";
import {
  checkPassword,
  DEFAULT_AFTER_SIGN_IN,
  endRequestSession,
  safeNextPath,
  sessionCookieHeader,
} from "@/lib/auth/session";
import { appSecret } from "@/lib/auth/secrets";
import { startSession } from "@/lib/auth/server-session";
import { errorPageResponse, errorResponse, HttpError } from "@/lib/http-error";
import { clientAddress } from "@/lib/request-origin";

export const dynamic = "force-dynamic";

function seeOther(location: string, setCookie?: string): Response {
  const headers = new Headers({ location, "cache-control": "no-store" });
  if (setCookie) headers.append("set-cookie", setCookie);
  return new Response(null, { status: 303, headers });
}

function loginUrl(next: string, error?: string) {
  const params = new URLSearchParams();
  if (error) params.set("error", error);
  if (next !== DEFAULT_AFTER_SIGN_IN) params.set("next", next);
  const query = params.toString();
  return query ? `/login?${query}` : "/login";
}

const wantsHtml = (request: Request) => request.headers.get("accept")?.includes("text/html");

function tooManyAttempts(request: Request, retryAfterSeconds: number): Response {
  const headers = { "retry-after": String(retryAfterSeconds), "cache-control": "no-store" };
  const message = `Too many sign-in attempts. Try again in ${retryAfterSeconds} seconds.`;
  if (wantsHtml(request)) {
    return new Response(
      `<!doctype html><meta charset="utf-8"><title>Too many attempts</title><p>${message}</p><p><a href="/login">Back to sign in</a></p>`,
      { status: 429, headers: { ...headers, "content-type": "text/html; charset=utf-8" } },
    );
  }
  return new HttpError(429, "rate_limited", message, { retryAfterSeconds }).toResponse(headers);
}

/**
 * One sign-in attempt, rate-limited per client: a new session's cookie and a redirect, or back
 * to /login. A database that cannot keep the session answers 503, never a cookie.
 */
async function attemptSignIn(
  request: Request,
  candidate: string | null,
  next: string,
): Promise<Response> {
  try {
    return await signIn(request, candidate, next);
  } catch (error) {
    return wantsHtml(request) ? errorPageResponse(error) : errorResponse(error);
  }
}

async function signIn(request: Request, candidate: string | null, next: string): Promise<Response> {
  const limiter = signInLimiter();
  const client = clientAddress(request);
  const decision = limiter.check(client);
  if (!decision.allowed) return tooManyAttempts(request, decision.retryAfterSeconds);

  const password = await appSecret("app-password");
  if (!checkPassword(candidate, password)) {
    limiter.recordFailure(client);
    return seeOther(loginUrl(next, "invalid"));
  }
  return seeOther(next, sessionCookieHeader(request, await startSession({ password })));
}

/** The sign-in link printed at start: `/api/session?token=<password>`. */
export async function GET(request: Request): Promise<Response> {
  const url = new URL(request.url);
  const next = safeNextPath(url.searchParams.get("next"));
  const token = url.searchParams.get("token");
  if (token === null) return seeOther(loginUrl(next));
  return attemptSignIn(request, token, next);
}

/** The login form: `password` and `next` as form fields. */
export async function POST(request: Request): Promise<Response> {
  const foreign = refuseCrossOrigin(request);
  if (foreign) return foreign;
  let form: FormData;
  try {
    form = await request.formData();
  } catch {
    return new HttpError(
      415,
      "unsupported_media_type",
      "Send the password as a form (application/x-www-form-urlencoded).",
    ).toResponse();
  }
  const next = safeNextPath(form.get("next"));
  const password = form.get("password");
  return attemptSignIn(request, typeof password === "string" ? password : null, next);
}

/** Signs out: the session ends on every process, and the cookie is cleared. */
export async function DELETE(request: Request): Promise<Response> {
  try {
    await endRequestSession(request);
  } catch (error) {
    return errorResponse(error);
  }
  return new Response(null, {
    status: 204,
    headers: { "set-cookie": sessionCookieHeader(request, null), "cache-control": "no-store" },
  });
}
