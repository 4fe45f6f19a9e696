import type { Metadata } from "next";
import { cookies, headers } from "next/headers";
import Link from "next/link";
import { Activity, LogOut, ScrollText, Plug } from "lucide-react";
import { NavLink } from "@/components/ui/nav-link";
import { isPublicAccess, isSignedIn, SESSION_COOKIE } from "@/lib/auth/session";
import { ZONE_SCRIPT } from "@/lib/viewer-zone";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Engagements", template: "%s · Engagements" },
  description: "CRM activity received from Morph webhooks",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the cookie also makes every page dynamic, which the per-request CSP nonce needs.
  const session = (await cookies()).get(SESSION_COOKIE)?.value;
  const isPublic = isPublicAccess();
  const signedIn = !isPublic && (await isSignedIn(session));
  const nonce = (await headers()).get("x-nonce") ?? undefined;

  return (
    <html lang="en">
      <head>
        {/* Before the first paint: the browser's zone, for the dates the server renders. */}
        <script
          nonce={nonce}
          suppressHydrationWarning
          dangerouslySetInnerHTML={{ __html: ZONE_SCRIPT }}
        />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <a
          href="#main"
          className="sr-only rounded-md bg-white px-3 py-2 focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50"
        >
          Skip to content
        </a>
        <header className="border-b border-slate-200 bg-white">
          <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3 sm:px-6">
            <Link href="/engagements" className="flex items-center gap-2 font-semibold">
              <Activity className="size-5 text-sky-600" aria-hidden />
              Engagement viewer
            </Link>
            <nav aria-label="Main" className="flex flex-1 items-center gap-1">
              {/* Signed out, every link would only lead back to the sign-in page. */}
              {(signedIn || isPublic) && (
                <>
                  <NavLink href="/engagements">Engagements</NavLink>
                  <NavLink href="/deliveries">
                    <ScrollText className="size-4" aria-hidden /> Deliveries
                  </NavLink>
                  <NavLink href="/connections">
                    <Plug className="size-4" aria-hidden /> Connections
                  </NavLink>
                </>
              )}
            </nav>
            {signedIn && (
              <form action="/api/session/sign-out" method="post">
                <button
                  type="submit"
                  className="inline-flex items-center gap-1.5 rounded-md px-3 py-1.5 text-sm font-medium text-slate-600 hover:bg-slate-100 hover:text-slate-900"
                >
                  <LogOut className="size-4" aria-hidden /> Sign out
                </button>
              </form>
            )}
          </div>
        </header>
        <main id="main" className="mx-auto max-w-7xl px-4 py-6 sm:px-6 sm:py-8">
          {children}
        </main>
      </body>
    </html>
  );
}
