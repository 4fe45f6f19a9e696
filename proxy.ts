import { randomBytes } from "node:crypto";
import { NextResponse, type NextRequest } from "next/server";
import { hasApiToken } from "@/lib/auth/api-token";
import { isAuthenticatedRequest } from "@/lib/auth/session";
import { errorPageResponse, errorResponse } from "@/lib/http-error";
import { isHttpsRequest } from "@/lib/request-origin";

/** Reachable without a session: the sign-in screens themselves (health and webhook skip the proxy). */
const OPEN_PATHS = [/^\/login\/?$/, /^\/api\/session(\/|$)/];
/** What `API_TOKEN` reads without a session: the read API and metrics, never pages or writes. */
const TOKEN_PATHS = /^\/api\/(engagements|deliveries|records|connections|metrics)(\/|$)/;

function readsWithToken(request: NextRequest): boolean {
  const reads = request.method === "GET" || request.method === "HEAD";
  return reads && TOKEN_PATHS.test(request.nextUrl.pathname) && hasApiToken(request);
}

/** The page CSP: scripts only from this origin or carrying this request's nonce. */
export function contentSecurityPolicy(nonce: string, options: { https: boolean; dev: boolean }) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ""}`,
    // Inline style attributes can't carry a nonce; styles can't run code, scripts are the guard.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(options.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

function unauthorized() {
  return Response.json(
    { error: { code: "unauthorized", message: "Sign in first: this API needs a session." } },
    { status: 401, headers: { "cache-control": "no-store" } },
  );
}

function redirectToLogin(request: NextRequest) {
  const url = request.nextUrl;
  const search = new URLSearchParams(url.search);
  search.delete("_rsc");
  const query = search.toString();
  const next = `${url.pathname}${query ? `?${query}` : ""}`;
  const location = next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`;
  // Proxy redirects must be absolute; Next sends a same-origin one on as a relative path.
  const response = NextResponse.redirect(new URL(location, request.nextUrl), 307);
  response.headers.set("cache-control", "no-store");
  return response;
}

/** Login for pages and the read API, and a per-request CSP nonce for pages. */
export async function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  const isApi = pathname === "/api" || pathname.startsWith("/api/");
  const isOpen = OPEN_PATHS.some((pattern) => pattern.test(pathname));

  let allowed: boolean;
  try {
    allowed = isOpen || readsWithToken(request) || (await isAuthenticatedRequest(request));
  } catch (error) {
    // The password lives in the database on PostgreSQL: down, nothing can be checked.
    return isApi ? errorResponse(error) : errorPageResponse(error);
  }
  if (!allowed) return isApi ? unauthorized() : redirectToLogin(request);
  // API responses get their static CSP from next.config.ts.
  if (isApi) return NextResponse.next();

  const nonce = randomBytes(16).toString("base64");
  const csp = contentSecurityPolicy(nonce, {
    https: isHttpsRequest(request),
    dev: process.env.NODE_ENV === "development",
  });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  // Next reads the nonce from the request's CSP and puts it on its own scripts.
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("content-security-policy", csp);
  return response;
}

export const config = {
  matcher: [
    // Health and the webhook (its own auth, the hot path) never pass through here.
    "/((?!api/health|api/webhooks/|_next/static|_next/image|favicon.ico|icon.svg).*)",
  ],
};
