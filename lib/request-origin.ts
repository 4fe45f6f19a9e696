import { headers } from "next/headers";

/** The origin the viewer reached us at, for URLs shown on screen (e.g. the webhook URL). */
export async function requestOrigin(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto =
    h.get("x-forwarded-proto") ??
    (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}

/** The time a request is served at (quick ranges, the chart's window). */
export function requestTime(): number {
  return Date.now();
}
