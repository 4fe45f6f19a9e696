import { headers } from "next/headers";
import { setting } from "@/lib/config";

/*
 * What a request says about where it came from. Forwarding headers count only behind a trusted
 * proxy (TRUST_PROXY); otherwise `npm start`'s server (scripts/server.mjs) has replaced them with
 * what the socket says, so nothing a client claims about itself reaches the rules below.
 */

const firstOf = (value: string | null) => value?.split(",")[0]?.trim() || null;

/**
 * The app's public origin: `APP_URL`; else the request's own (its Host, and the scheme it came
 * in by), as the proxy's `X-Forwarded-Proto` / `X-Forwarded-Host` say when it is trusted.
 */
export function publicOrigin(requestHeaders: Headers, requestUrl?: string): string {
  const configured = setting("APP_URL");
  if (configured) return configured;
  const trusted = setting("TRUST_PROXY") > 0;
  const url = requestUrl && URL.canParse(requestUrl) ? new URL(requestUrl) : null;
  const host =
    (trusted && firstOf(requestHeaders.get("x-forwarded-host"))) ||
    requestHeaders.get("host") ||
    url?.host ||
    "localhost";
  const scheme =
    (trusted && firstOf(requestHeaders.get("x-forwarded-proto"))) ||
    url?.protocol.slice(0, -1) ||
    "http";
  const origin = `${scheme.toLowerCase()}://${host}`;
  return URL.canParse(origin) ? new URL(origin).origin : (url?.origin ?? "http://localhost");
}

/** HTTPS as the browser sees it, for `Secure` cookies and the CSP's upgrade. */
export function isHttpsRequest(request: Request): boolean {
  return publicOrigin(request.headers, request.url).startsWith("https:");
}

/**
 * The client's address, for rate limits: behind N trusted proxies the address the outermost of
 * them saw (each appends the one it saw to `X-Forwarded-For`), else the socket's, which
 * scripts/server.mjs puts there alone.
 */
export function clientAddress(request: Request): string {
  const chain = (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const hops = Math.max(setting("TRUST_PROXY"), 1);
  return chain[Math.max(0, chain.length - hops)] ?? "unknown";
}

/** The origin the viewer reached us at, for URLs shown on screen (e.g. the webhook URL). */
export async function requestOrigin(): Promise<string> {
  return publicOrigin(await headers());
}

/** The time a request is served at (quick ranges, the chart's window). */
export function requestTime(): number {
  return Date.now();
}
