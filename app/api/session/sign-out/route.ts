import { sessionCookieHeader } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

/** The navigation's sign-out button (a plain form post, so it works without JavaScript). */
export function POST(request: Request): Response {
  return new Response(null, {
    status: 303,
    headers: {
      location: "/login",
      "set-cookie": sessionCookieHeader(request, null),
      "cache-control": "no-store",
    },
  });
}
