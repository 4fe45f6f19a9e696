import { Suspense } from "react";
import type { EngagementListData } from "@/lib/engagements/load-engagement-list";
import { filterHref, type ChipKey, type EngagementFilter, type RefFilterKey } from "@/lib/filters";
import type { ViewerZone } from "@/lib/viewer-zone";
import { EngagementTable } from "./engagement-table";
import { COUNT_LAYOUT, CountCard, FACETS_LAYOUT, FacetPanel } from "./engagement-summary";
import { FilterBar } from "./filter-bar";
import { ListPager } from "./list-pager";
import { CountSkeleton, FacetsSkeleton, NoScriptStreaming } from "./list-skeleton";
import { NoMatch } from "./no-match";
import { NothingYet } from "./nothing-yet";

export type EngagementBrowserProps = {
  data: EngagementListData;
  filter: EngagementFilter;
  basePath: string;
  locked?: RefFilterKey[];
  hideChips?: ChipKey[];
  origin: string;
  /** The request's time, for quick ranges and the chart. */
  now: number;
  /** The zone its dates are in, named beside the date inputs. */
  zone: ViewerZone;
};

/**
 * The engagement list with its filters, counts, chart and paging: /engagements, and the
 * timeline of every record page (`locked` names the filter the page itself fixes).
 */
export function EngagementBrowser({
  data,
  filter,
  basePath,
  locked = [],
  hideChips = [],
  origin,
  now,
  zone,
}: EngagementBrowserProps) {
  const href = (f: EngagementFilter) => filterHref(basePath, f, locked);
  const { rows, next, active, nothingAtAll, chipNames, summary } = data;
  if (nothingAtAll) return <NothingYet origin={origin} />;

  // The count, facets and chart stream in behind skeletons while the rows are on screen.
  return (
    <div className="flex flex-col gap-4">
      <NoScriptStreaming />
      <FilterBar
        filter={filter}
        href={href}
        basePath={basePath}
        locked={locked}
        hideChips={hideChips}
        chipNames={chipNames}
        now={now}
        zone={zone}
      />
      <div className="grid gap-4 lg:grid-cols-[14rem_1fr]">
        <Suspense fallback={<FacetsSkeleton className={FACETS_LAYOUT} />}>
          <FacetPanel
            summary={summary}
            filter={filter}
            showOwner={!locked.includes("owner")}
            href={href}
          />
        </Suspense>
        <section
          aria-label="Engagements"
          className="engagement-results flex min-w-0 flex-col gap-3"
        >
          <Suspense fallback={<CountSkeleton className={COUNT_LAYOUT} />}>
            <CountCard summary={summary} filter={filter} active={active} />
          </Suspense>
          {rows.length > 0 ? (
            <EngagementTable rows={rows} />
          ) : (
            <NoMatch filter={filter} href={href} />
          )}
          <ListPager filter={filter} next={next} href={href} />
        </section>
      </div>
    </div>
  );
}
