import Link from "next/link";
import { SearchX } from "lucide-react";
import { clearFilters, type EngagementFilter } from "@/lib/filters";

/** An empty page of rows: past the last page, or filters that match nothing. */
export function NoMatch({
  filter,
  href,
}: {
  filter: EngagementFilter;
  href: (f: EngagementFilter) => string;
}) {
  return (
    <div
      className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center"
      data-testid="empty-no-match"
    >
      <SearchX aria-hidden className="mx-auto mb-3 text-slate-400" size={28} />
      <h2 className="font-semibold">
        {filter.cursor ? "No more engagements" : "No engagements match these filters"}
      </h2>
      <p className="mt-2 text-sm">
        <Link
          href={href(filter.cursor ? { ...filter, cursor: null } : clearFilters(filter))}
          className="text-sky-700 underline"
        >
          {filter.cursor ? "Back to the first page" : "Clear filters"}
        </Link>
      </p>
    </div>
  );
}
