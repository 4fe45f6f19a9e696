import { HttpError } from "@/lib/http-error";
import { publicOrigin } from "@/lib/request-origin";

const originOf = (value: string) => (URL.canParse(value) ? new URL(value).origin : value);

/**
 * Whether a browser posted this from a page of another site: its `Origin` (or, without one, its
 * `Referer`) is not the app's own origin. `Origin: null` (a sandboxed or opaque page) is another
 * site's. A request with neither header is no browser's form, and is judged by its credentials.
 */
export function isCrossOrigin(request: Request): boolean {
  const origin = request.headers.get("origin");
  const referer = request.headers.get("referer");
  if (origin === null && referer === null) return false;
  const claimed = originOf(origin ?? referer!);
  return claimed !== publicOrigin(request.headers, request.url);
}

/** The answer to a form posted from another site, or null when it came from the app's own pages. */
export function refuseCrossOrigin(request: Request): Response | null {
  if (!isCrossOrigin(request)) return null;
  return new HttpError(
    403,
    "cross_origin",
    "This form was posted from another site; nothing was changed.",
  ).toResponse({ "cache-control": "no-store" });
}
