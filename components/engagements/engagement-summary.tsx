import Link from "next/link";
import { Download } from "lucide-react";
import type { Facets, FacetValue, Summary } from "@/db/types";
import {
  engagementsCsvHref,
  FILTER_LABELS,
  toggleValue,
  withFilter,
  type EngagementFilter,
} from "@/lib/filters";
import { ActivityChart } from "./activity-chart";
import { filterValueLabel } from "./format";

// The parts of the list that await the summary. Each is rendered inside a <Suspense> whose
// skeleton takes the same layout, so the rows show first and these stream in.

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

export const COUNT_LAYOUT =
  "grid items-end gap-3 rounded-lg border border-slate-200 bg-white p-3 sm:grid-cols-[auto_1fr]";

/** The number of matches, the CSV link and the chart per day. */
export async function CountCard({
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

export const FACETS_LAYOUT =
  "order-last grid grid-cols-2 gap-4 text-sm sm:grid-cols-4 lg:order-first lg:flex lg:flex-col";

/** Counts per type, status, direction and owner, each value a link that toggles its filter. */
export async function FacetPanel({
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
          label={(v) => filterValueLabel(key, v)}
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

type FacetProps = {
  title: string;
  values: FacetValue[];
  isSelected: (value: string) => boolean;
  label: (value: string) => string;
  hrefFor: (value: string) => string;
};

function Facet({ title, values, ...value }: FacetProps) {
  return (
    <div>
      <h2 className="mb-1 text-xs font-semibold tracking-wide text-slate-600 uppercase">{title}</h2>
      <ul className="flex flex-col">
        {values.length === 0 && <li className="px-2 text-slate-500">—</li>}
        {values.map((v) => (
          <FacetItem key={v.value ?? "none"} facet={v} {...value} />
        ))}
      </ul>
    </div>
  );
}

/** One value and its count: a link that toggles it, or plain text for "None". */
function FacetItem({
  facet,
  isSelected,
  label,
  hrefFor,
}: { facet: FacetValue } & Omit<FacetProps, "title" | "values">) {
  const count = <span className="tabular-nums">{facet.count.toLocaleString("en")}</span>;
  if (facet.value === null) {
    return (
      <li className="flex justify-between px-2 py-0.5 text-slate-500">
        <span>None</span>
        {count}
      </li>
    );
  }
  const selected = isSelected(facet.value);
  return (
    <li>
      <Link
        href={hrefFor(facet.value)}
        aria-current={selected ? "true" : undefined}
        className="facet-link"
      >
        <span className="truncate">
          {label(facet.value)}
          {selected && <span className="sr-only"> (selected, click to remove)</span>}
        </span>
        {count}
      </Link>
    </li>
  );
}
