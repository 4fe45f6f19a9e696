import { refuseCrossOrigin } from "@/lib/auth/same-origin";
import { endRequestSession, sessionCookieHeader } from "@/lib/auth/session";
import { errorPageResponse } from "@/lib/http-error";

export const dynamic = "force-dynamic";

/** The navigation's sign-out button (a plain form post, so it works without JavaScript). */
export async function POST(request: Request): Promise<Response> {
  const foreign = refuseCrossOrigin(request);
  if (foreign) return foreign;
  try {
    // Ends the session on every process, not only in this browser.
    await endRequestSession(request);
  } catch (error) {
    return errorPageResponse(error);
  }
  return new Response(null, {
    status: 303,
    headers: {
      location: "/login",
      "set-cookie": sessionCookieHeader(request, null),
      "cache-control": "no-store",
    },
  });
}
