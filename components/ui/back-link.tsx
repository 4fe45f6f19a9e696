import Link from "next/link";
import { ArrowLeft } from "lucide-react";

/** The way back from a detail page to the list it belongs to. */
export function BackLink({ href, children }: { href: string; children: React.ReactNode }) {
  return (
    <nav aria-label="Breadcrumb" className="mb-3 text-sm">
      <Link
        href={href}
        className="inline-flex items-center gap-1 rounded text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
      >
        <ArrowLeft className="size-4" aria-hidden /> {children}
      </Link>
    </nav>
  );
}
