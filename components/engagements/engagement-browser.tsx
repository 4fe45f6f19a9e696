import { Suspense } from "react";
import Link from "next/link";
import { Download, Inbox, SearchX, X } from "lucide-react";
import type { Facets, FacetValue, Summary } from "@/db/types";
import type { EngagementListData } from "@/lib/engagements/load-engagement-list";
import { InputField, SelectField } from "@/components/ui/field";
import {
  activeQuickRange,
  clearFilters,
  engagementsCsvHref,
  FILTER_LABELS,
  filterChips,
  filterHref,
  formatConnection,
  QUICK_RANGE_LABELS,
  QUICK_RANGES,
  quickRange,
  REF_FILTER,
  toggleValue,
  toSearchParams,
  withFilter,
  type ChipKey,
  type EngagementFilter,
  type MultiKey,
  type RefFilterKey,
} from "@/lib/filters";
import { ActivityChart } from "./activity-chart";
import { EngagementTable } from "./engagement-table";
import { CountSkeleton, FacetsSkeleton, NoScriptStreaming } from "./list-skeleton";
import { directionLabel, statusLabel, typeLabel } from "./format";
import { RecordPicker } from "./record-picker";

const PICKERS: RefFilterKey[] = ["owner", "contact", "company", "opportunity"];
const valueLabel = (key: MultiKey, value: string) =>
  key === "type" ? typeLabel(value) : key === "status" ? statusLabel(value) : directionLabel(value);

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
}: {
  data: EngagementListData;
  filter: EngagementFilter;
  basePath: string;
  locked?: RefFilterKey[];
  hideChips?: ChipKey[];
  origin: string;
  /** The request's time, for quick ranges and the chart. */
  now: number;
}) {
  const href = (f: EngagementFilter) => filterHref(basePath, f, locked);
  const { rows, next, active, nothingAtAll, chipNames, summary } = data;
  const shownChips = filterChips({
    filter,
    names: chipNames,
    locked,
    hideChips,
    basePath,
    valueLabel,
  });
  const quick = activeQuickRange(filter, now);
  const hidden = toSearchParams(
    withFilter(filter, { q: null, from: null, to: null, deleted: "hide" }),
    {
      omit: [...locked, "cursor"],
    },
  );

  if (nothingAtAll) {
    return (
      <div
        className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center"
        data-testid="empty-nothing-yet"
      >
        <Inbox aria-hidden className="mx-auto mb-3 text-slate-400" size={32} />
        <h2 className="text-lg font-semibold">No engagements yet</h2>
        <p className="mx-auto mt-2 max-w-xl text-sm text-slate-600">
          Point Morph&apos;s webhook at{" "}
          <code className="rounded bg-slate-100 px-1 py-0.5 break-all">
            {origin}/api/webhooks/morph?token=…
          </code>{" "}
          (the full URL with its token is printed when the server starts), or run{" "}
          <code className="rounded bg-slate-100 px-1 py-0.5">npm run simulate</code> to send
          realistic sample traffic.
        </p>
      </div>
    );
  }

  // The count, facets and chart stream in behind skeletons while the rows are on screen.

  return (
    <div className="flex flex-col gap-4">
      <NoScriptStreaming />
      <section
        aria-label="Filters"
        className="rounded-lg border border-slate-200 bg-white p-3 sm:p-4"
      >
        <form
          method="get"
          action={basePath}
          role="search"
          className="grid grid-cols-2 gap-3 lg:grid-cols-[2fr_1fr_1fr_1fr_auto] lg:items-end"
        >
          {[...hidden].map(([name, value], i) => (
            <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
          ))}
          <InputField
            id="filter-q"
            label="Search title and description"
            name="q"
            type="search"
            defaultValue={filter.q ?? ""}
            placeholder="e.g. pricing review"
            className="col-span-2 min-w-0 lg:col-span-1"
          />
          <InputField
            id="filter-from"
            label={`From (${filter.tz ?? "UTC"} day)`}
            name="from"
            type="date"
            defaultValue={filter.from?.slice(0, 10) ?? ""}
          />
          <InputField
            id="filter-to"
            label="To (inclusive)"
            name="to"
            type="date"
            defaultValue={filter.to?.slice(0, 10) ?? ""}
          />
          <SelectField
            id="filter-deleted"
            label="Deleted"
            name="deleted"
            defaultValue={filter.deleted}
          >
            <option value="hide">Hide deleted</option>
            <option value="include">Include deleted</option>
            <option value="only">Only deleted</option>
          </SelectField>
          <button
            type="submit"
            className="self-end rounded-md bg-sky-700 px-4 py-1.5 text-sm font-medium text-white hover:bg-sky-800"
          >
            Apply
          </button>
        </form>

        <div className="mt-3 grid grid-cols-2 gap-3 lg:grid-cols-4">
          {PICKERS.filter((key) => !locked.includes(key)).map((key) => (
            <RecordPicker
              key={key}
              label={REF_FILTER[key].label}
              model={REF_FILTER[key].model}
              connection={filter.connection ? formatConnection(filter.connection) : null}
              hrefTemplate={href(withFilter(filter, { [key]: "__ID__" }))}
            />
          ))}
        </div>

        <nav
          aria-label="Quick date ranges"
          className="mt-3 flex flex-wrap items-center gap-2 text-sm"
        >
          <span className="text-xs font-medium text-slate-600">Started:</span>
          {QUICK_RANGES.map((range) => {
            const selected = quick === range;
            return (
              <Link
                key={range}
                href={href(
                  selected
                    ? withFilter(filter, { from: null, to: null })
                    : withFilter(filter, quickRange(range, now, filter.tz)),
                )}
                aria-current={selected ? "true" : undefined}
                className="range-pill"
              >
                {QUICK_RANGE_LABELS[range]}
              </Link>
            );
          })}
        </nav>

        {shownChips.length > 0 && (
          <div
            className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3"
            aria-label="Active filters"
          >
            {shownChips.map((chip) => (
              <span
                key={`${chip.key}-${chip.value ?? ""}`}
                className="inline-flex items-center gap-1 rounded-full bg-sky-50 py-0.5 pr-1 pl-2.5 text-sm text-sky-900 ring-1 ring-sky-200"
              >
                {chip.label}
                <Link
                  href={chip.href}
                  aria-label={`Remove filter ${chip.label}`}
                  className="rounded-full p-0.5 hover:bg-sky-200"
                >
                  <X aria-hidden size={14} />
                </Link>
              </span>
            ))}
            <Link href={href(clearFilters(filter))} className="text-sm text-slate-600 underline">
              Clear all
            </Link>
          </div>
        )}
      </section>

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
          )}

          <nav aria-label="Pages" className="flex items-center justify-between gap-2 text-sm">
            {filter.cursor ? (
              <Link
                href={href({ ...filter, cursor: null })}
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50"
              >
                ← {filter.sort === "startedAt" ? "Newest" : "Oldest"}
              </Link>
            ) : (
              <span />
            )}
            {next && (
              <Link
                href={href({ ...filter, cursor: next })}
                rel="next"
                className="rounded-md border border-slate-300 bg-white px-3 py-1.5 hover:bg-slate-50"
              >
                Next page →
              </Link>
            )}
          </nav>
        </section>
      </div>
    </div>
  );
}

/** How much of the filter's matches the facets were counted over, when not all of them. */
function facetsNote(facets: Facets): string | null {
  if (facets.sampled === null) return null;
  return `Counted among the newest ${facets.sampled.toLocaleString("en")} matches.`;
}

/** The same for the chart: why its oldest days may be partly counted. */
function chartNote(activity: Summary["activity"]): string | null {
  if (activity.sampled === null) return null;
  return `newest ${activity.sampled.toLocaleString("en")} only`;
}

const COUNT_LAYOUT =
  "grid items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-[auto_1fr]";

/** The number of matches, the CSV link and the chart per day. */
async function CountCard({
  summary,
  filter,
  active,
}: {
  summary: Promise<Summary>;
  filter: EngagementFilter;
  active: boolean;
}) {
  const {
    count: { count: total, capped },
    activity,
  } = await summary;
  return (
    <div className={COUNT_LAYOUT}>
      <div>
        <p className="text-2xl font-semibold tabular-nums" data-testid="total-count">
          {total.toLocaleString("en")}
          {capped ? "+" : ""}
        </p>
        <p className="text-xs text-slate-500">
          engagement{total === 1 && !capped ? "" : "s"}
          {active ? " match" : ""}
          {" · "}
          <a
            href={engagementsCsvHref(filter)}
            className="inline-flex items-center gap-0.5 underline"
          >
            <Download aria-hidden size={12} /> CSV
          </a>
        </p>
      </div>
      <ActivityChart days={activity.days} tz={filter.tz} partialNote={chartNote(activity)} />
    </div>
  );
}

const FACETS_LAYOUT =
  "order-last grid grid-cols-2 gap-4 text-sm sm:grid-cols-4 lg:order-first lg:flex lg:flex-col";

/** Counts per type, status, direction and owner, each value a link that toggles its filter. */
async function FacetPanel({
  summary,
  filter,
  showOwner,
  href,
}: {
  summary: Promise<Summary>;
  filter: EngagementFilter;
  showOwner: boolean;
  href: (f: EngagementFilter) => string;
}) {
  const { facets } = await summary;
  const note = facetsNote(facets);
  return (
    <aside aria-label="Counts by facet" className={FACETS_LAYOUT}>
      {(["type", "status", "direction"] as const).map((key) => (
        <Facet
          key={key}
          title={FILTER_LABELS[key]}
          values={facets[key]}
          isSelected={(v) => filter[key].includes(v)}
          label={(v) => valueLabel(key, v)}
          hrefFor={(v) => href(toggleValue(filter, key, v))}
        />
      ))}
      {showOwner && (
        <Facet
          title={FILTER_LABELS.owner}
          values={facets.owner}
          isSelected={(v) => filter.owner === v}
          label={(v) => facets.owner.find((o) => o.value === v)?.name ?? v}
          hrefFor={(v) => href(withFilter(filter, { owner: filter.owner === v ? null : v }))}
        />
      )}
      {note && (
        <p className="text-xs text-slate-500" data-testid="facets-capped">
          {note}
        </p>
      )}
    </aside>
  );
}

function Facet({
  title,
  values,
  isSelected,
  label,
  hrefFor,
}: {
  title: string;
  values: FacetValue[];
  isSelected: (value: string) => boolean;
  label: (value: string) => string;
  hrefFor: (value: string) => string;
}) {
  return (
    <div>
      <h2 className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{title}</h2>
      <ul className="flex flex-col">
        {values.length === 0 && <li className="px-2 text-slate-400">—</li>}
        {values.map((v) => {
          if (v.value === null) {
            return (
              <li key="none" className="flex justify-between px-2 py-0.5 text-slate-500">
                <span>None</span>
                <span className="tabular-nums">{v.count.toLocaleString("en")}</span>
              </li>
            );
          }
          const selected = isSelected(v.value);
          return (
            <li key={v.value}>
              <Link
                href={hrefFor(v.value)}
                aria-current={selected ? "true" : undefined}
                className="facet-link"
              >
                <span className="truncate">
                  {label(v.value)}
                  {selected && <span className="sr-only"> (selected, click to remove)</span>}
                </span>
                <span className="tabular-nums">{v.count.toLocaleString("en")}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
