import Link from "next/link";
import { X } from "lucide-react";
import { InputField, SelectField } from "@/components/ui/field";
import { ZoneNote } from "@/components/ui/zone-note";
import type { ViewerZone } from "@/lib/viewer-zone";
import {
  clearFilters,
  filterChips,
  formatConnection,
  RANGE_LABELS,
  RANGES,
  REF_FILTER,
  toSearchParams,
  withFilter,
  type Chip,
  type ChipKey,
  type EngagementFilter,
  type RefFilterKey,
} from "@/lib/filters";
import type { EngagementListData } from "@/lib/engagements/load-engagement-list";
import { filterValueLabel } from "./format";
import { RecordPicker } from "./record-picker";

const PICKERS: RefFilterKey[] = ["owner", "contact", "company", "opportunity"];

type FilterLinks = {
  filter: EngagementFilter;
  href: (f: EngagementFilter) => string;
};

/** The "Filters" box: search and dates, record pickers, quick ranges, the active filters. */
export function FilterBar({
  filter,
  href,
  basePath,
  locked,
  hideChips,
  chipNames,
  now,
  zone,
}: FilterLinks & {
  basePath: string;
  locked: RefFilterKey[];
  hideChips: ChipKey[];
  chipNames: EngagementListData["chipNames"];
  now: number;
  zone: ViewerZone;
}) {
  return (
    <section
      aria-label="Filters"
      className="rounded-lg border border-slate-200 bg-white p-3 sm:p-4"
    >
      <SearchForm filter={filter} basePath={basePath} locked={locked} />
      <ZoneNote zone={zone} className="mt-2" />
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
      <QuickRanges filter={filter} href={href} />
      <ActiveFilters
        filter={filter}
        href={href}
        chips={filterChips({
          filter,
          names: chipNames,
          locked,
          hideChips,
          basePath,
          now,
          valueLabel: filterValueLabel,
        })}
      />
    </section>
  );
}

/** A plain GET form, so it works without JavaScript: the rest of the filter rides along hidden. */
function SearchForm({
  filter,
  basePath,
  locked,
}: {
  filter: EngagementFilter;
  basePath: string;
  locked: RefFilterKey[];
}) {
  const hidden = toSearchParams(
    withFilter(filter, { q: null, from: null, to: null, deleted: "hide" }),
    { omit: [...locked, "cursor"] },
  );
  return (
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
      <DateFields filter={filter} />
      <SelectField id="filter-deleted" label="Deleted" name="deleted" defaultValue={filter.deleted}>
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
  );
}

function DateFields({ filter }: { filter: EngagementFilter }) {
  return (
    <>
      <InputField
        id="filter-from"
        label="From"
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
    </>
  );
}

/** Rolling ranges (`range=`): each a link that sets it, or clears it when already chosen. */
function QuickRanges({ filter, href }: FilterLinks) {
  return (
    <nav aria-label="Quick date ranges" className="mt-3 flex flex-wrap items-center gap-2 text-sm">
      <span className="text-xs font-medium text-slate-600">Started:</span>
      {RANGES.map((range) => {
        const selected = filter.range === range;
        return (
          <Link
            key={range}
            href={href(withFilter(filter, { range: selected ? null : range }))}
            aria-current={selected ? "true" : undefined}
            className="range-pill"
          >
            {RANGE_LABELS[range]}
          </Link>
        );
      })}
    </nav>
  );
}

/** A chip per filter in use, each with a link that removes it, and "Clear all". */
function ActiveFilters({ filter, href, chips }: FilterLinks & { chips: Chip[] }) {
  if (chips.length === 0) return null;
  return (
    <div
      className="mt-3 flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3"
      aria-label="Active filters"
    >
      {chips.map((chip) => (
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
  );
}
