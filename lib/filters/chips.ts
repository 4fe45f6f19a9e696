import type { RecordModel } from "@/db/models";
import { formatConnection } from "./connection";
import {
  MULTI_KEYS,
  REF_FILTERS,
  type EngagementFilter,
  type MultiKey,
  type RefFilterKey,
} from "./engagement-filter";
import { filterHref, removeChip, type ChipKey } from "./links";
import { describeRange } from "./ranges";

/** The removable chips of the active filters, each a link to the list without it. */

export type Chip = { key: ChipKey; value?: string; label: string; href: string };

export const FILTER_LABELS: Record<RefFilterKey | MultiKey, string> = {
  ...(Object.fromEntries(REF_FILTERS.map(({ key, label }) => [key, label])) as Record<
    RefFilterKey,
    string
  >),
  type: "Type",
  status: "Status",
  direction: "Direction",
};

/** The chosen records a chip names (not the page's own `locked` one), for their names. */
export function chipRecords(
  filter: EngagementFilter,
  locked: readonly RefFilterKey[] = [],
): { key: RefFilterKey; model: RecordModel; id: string }[] {
  return REF_FILTERS.flatMap(({ key, model }) => {
    const id = filter[key];
    return id === null || locked.includes(key) ? [] : [{ key, model, id }];
  });
}

export function filterChips({
  filter,
  names,
  locked = [],
  hideChips = [],
  basePath,
  now = Date.now(),
  valueLabel = (_key, value) => value,
}: {
  filter: EngagementFilter;
  /** Resolved names of the `chipRecords`; a missing or null name shows the id. */
  names: Partial<Record<RefFilterKey, string | null>>;
  locked?: readonly RefFilterKey[];
  hideChips?: readonly ChipKey[];
  basePath: string;
  /** When a rolling range is read, for the dates its chip names. */
  now?: number;
  /** How a type, status or direction value reads. */
  valueLabel?: (key: MultiKey, value: string) => string;
}): Chip[] {
  const chip = (key: ChipKey, label: string, value?: string): Chip => ({
    key,
    ...(value === undefined ? {} : { value }),
    label,
    href: filterHref(basePath, removeChip(filter, key, value), locked),
  });
  const chips = chipRecords(filter, locked).map(({ key, id }) =>
    chip(key, `${FILTER_LABELS[key]}: ${names[key] ?? id}`),
  );
  for (const key of MULTI_KEYS) {
    for (const value of filter[key]) {
      chips.push(chip(key, `${FILTER_LABELS[key]}: ${valueLabel(key, value)}`, value));
    }
  }
  if (filter.from) chips.push(chip("from", `From ${filter.from}`));
  if (filter.to) chips.push(chip("to", `To ${filter.to}`));
  if (filter.range) chips.push(chip("range", describeRange(filter.range, now, filter.tz)));
  if (filter.q) chips.push(chip("q", `Text: “${filter.q}”`));
  if (filter.connection) {
    chips.push(chip("connection", `Connection: ${formatConnection(filter.connection)}`));
  }
  if (filter.deleted !== "hide") {
    chips.push(chip("deleted", filter.deleted === "only" ? "Deleted only" : "Including deleted"));
  }
  return chips.filter((c) => !hideChips.includes(c.key));
}
