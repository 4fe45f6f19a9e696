import Link from "next/link";
import { ChevronRight, ChevronsLeft } from "lucide-react";

/** Keyset paging links: back to the first page, and on to the next one when there is one. */
export function Pagination({
  firstHref,
  nextHref,
  summary,
}: {
  /** Set when the current page is not the first. */
  firstHref?: string | null;
  nextHref?: string | null;
  summary?: React.ReactNode;
}) {
  if (!firstHref && !nextHref && !summary) return null;
  const link =
    "inline-flex items-center gap-1 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50";
  return (
    <nav aria-label="Pagination" className="flex items-center justify-between gap-4 py-3">
      <div className="text-sm text-slate-600">{summary}</div>
      <div className="flex gap-2">
        {firstHref && (
          <Link href={firstHref} className={link}>
            <ChevronsLeft className="size-4" aria-hidden /> Newest
          </Link>
        )}
        {nextHref && (
          <Link href={nextHref} className={link} rel="next">
            Older <ChevronRight className="size-4" aria-hidden />
          </Link>
        )}
      </div>
    </nav>
  );
}
