import Link from "next/link";
import type { EngagementCursor } from "@/db/types";
import type { EngagementFilter } from "@/lib/filters";

const PAGE_LINK = "rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50";

/** Back to the first page, and on to the next one when there is more. */
export function ListPager({
  filter,
  next,
  href,
}: {
  filter: EngagementFilter;
  next: EngagementCursor | null;
  href: (f: EngagementFilter) => string;
}) {
  return (
    <nav aria-label="Pages" className="flex items-center justify-between gap-2 text-sm">
      {filter.cursor ? (
        <Link href={href({ ...filter, cursor: null })} className={PAGE_LINK}>
          ← {filter.sort === "startedAt" ? "Newest" : "Oldest"}
        </Link>
      ) : (
        <span />
      )}
      {next && (
        <Link href={href({ ...filter, cursor: next })} rel="next" className={PAGE_LINK}>
          Next page →
        </Link>
      )}
    </nav>
  );
}
