import { cookies } from "next/headers";
import { isValidTimeZone } from "@/lib/filters";

/** The browser's time zone, as the layout's inline script writes it before the first paint. */
export const TZ_COOKIE = "tz";

/** The zone a page shows dates in; `known`: from the URL or the browser, not the UTC default. */
export type ViewerZone = { tz: string; known: boolean };

/** The URL's `tz` first, then the browser's (the cookie), else UTC. */
export async function readViewerZone(urlTz: string | null | undefined): Promise<ViewerZone> {
  if (urlTz && isValidTimeZone(urlTz)) return { tz: urlTz, known: true };
  const cookie = (await cookies()).get(TZ_COOKIE)?.value;
  if (cookie && isValidTimeZone(cookie)) return { tz: cookie, known: true };
  return { tz: "UTC", known: false };
}

/** A filter in the viewer's zone, so its dates, ranges and every link it makes carry it. */
export async function inViewerZone<F extends { tz?: string | null }>(
  filter: F,
): Promise<{ filter: F; zone: ViewerZone }> {
  const zone = await readViewerZone(filter.tz);
  return { filter: zone.known ? { ...filter, tz: zone.tz } : filter, zone };
}

/**
 * Sets the cookie from the browser's zone and, the first time (the server rendered UTC), reloads
 * once so the page comes back in that zone. A link that names its own `tz` is left as it is.
 */
export const ZONE_SCRIPT = `(function(){try{var z=Intl.DateTimeFormat().resolvedOptions().timeZone;if(!z)return;var c="${TZ_COOKIE}="+encodeURIComponent(z),has=function(){return document.cookie.split("; ").indexOf(c)>=0};if(has())return;document.cookie=c+"; path=/; max-age=31536000; samesite=lax";if(has()&&!/[?&]tz=/.test(location.search))location.reload()}catch(e){}})()`;
