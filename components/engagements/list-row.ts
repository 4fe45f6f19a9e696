import type { EngagementView, Ref } from "@/db/types";
import { recordHref } from "@/lib/filters";
import { typeIconName } from "./format";
import type { SpriteName } from "./sprite-icon";

/** A record as a row shows it: `resolved` false means it has not synced yet, so only its id. */
export type RowRef = { id: string; name: string | null; resolved: boolean };

/**
 * What one row of the list shows, and nothing more. The rows go to the browser as the props of
 * a client component, so this is what each row costs in the page's RSC payload (about a
 * quarter of the element tree it replaces) and in every filter click's.
 * Fields a row does not show for its type are left out rather than sent as null.
 */
export type ListRow = {
  id: string;
  type: string | null;
  title: string | null;
  deleted?: true;
  warnings?: string[];
  owner: RowRef | null;
  contact: RowRef | null;
  moreContacts?: number;
  company: RowRef | null;
  moreCompanies?: number;
  startedAt: string;
  endedAt?: string;
  duration?: number;
  direction?: string;
  status?: string;
  /** On a rolled-up company's timeline: the opportunities a row came through. */
  via?: { name: string; href: string }[];
};

const rowRef = (ref: Ref | null | undefined): RowRef | null =>
  ref ? { id: ref.id, name: ref.name, resolved: ref.resolved } : null;

export function toListRow(e: EngagementView): ListRow {
  const row: ListRow = {
    id: e.id,
    type: e.type,
    title: e.title,
    owner: rowRef(e.owner),
    contact: rowRef(e.contacts[0]),
    company: rowRef(e.companies[0]),
    startedAt: e.startedAt,
  };
  if (e.deletedAt) row.deleted = true;
  if (e.warnings.length > 0) row.warnings = e.warnings;
  if (e.contacts.length > 1) row.moreContacts = e.contacts.length - 1;
  if (e.companies.length > 1) row.moreCompanies = e.companies.length - 1;
  if (e.type === "meeting" && e.endedAt) row.endedAt = e.endedAt;
  if (e.type === "call" && e.duration !== null) row.duration = e.duration;
  if ((e.type === "call" || e.type === "email") && e.direction) row.direction = e.direction;
  if (e.type !== "call" && e.type !== "meeting" && e.type !== "email" && e.status)
    row.status = e.status;
  if (e.via) {
    row.via = e.via.map((o) => ({
      name: o.name ?? o.id,
      href: recordHref("crmOpportunity", o.id, e),
    }));
  }
  return row;
}

export const directionIcon = (direction: string): SpriteName =>
  direction === "inbound" ? "inbound" : "outbound";

/** The sprite symbols a page of rows points at. */
export function iconsOf(rows: ListRow[]): Set<SpriteName> {
  const names = new Set<SpriteName>();
  for (const row of rows) {
    names.add(typeIconName(row.type));
    if (row.direction) names.add(directionIcon(row.direction));
    if (row.warnings) names.add("warning");
  }
  return names;
}
