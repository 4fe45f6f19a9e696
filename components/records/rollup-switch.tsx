import Link from "next/link";
import { filterHref, withFilter, type EngagementFilter } from "@/lib/filters";

/**
 * A company timeline's two views: with the engagements on its opportunities (the default), or
 * direct ones only. Plain links, so the choice lives in the URL and works without JavaScript.
 */
export function RollupSwitch({
  basePath,
  filter,
  locked,
}: {
  basePath: string;
  filter: EngagementFilter;
  locked: readonly string[];
}) {
  const options = [
    { rollup: true, label: "With its opportunities" },
    { rollup: false, label: "Direct only" },
  ];
  return (
    <nav
      aria-label="Which engagements"
      className="mb-3 inline-flex rounded-md border border-slate-300 bg-white p-0.5 text-sm"
    >
      {options.map((option) => {
        const current = (filter.rollup ?? true) === option.rollup;
        return (
          <Link
            key={option.label}
            href={filterHref(basePath, withFilter(filter, { rollup: option.rollup }), locked)}
            aria-current={current ? "page" : undefined}
            className={`rounded px-3 py-1 font-medium ${
              current ? "bg-slate-900 text-white" : "text-slate-700 hover:bg-slate-100"
            }`}
          >
            {option.label}
          </Link>
        );
      })}
    </nav>
  );
}
