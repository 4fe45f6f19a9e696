import Papa from "papaparse";
import type { EngagementView, Ref } from "@/db/types";
import { formatConnection } from "@/lib/filters";

/**
 * A spreadsheet opening the file must not run it: papaparse puts a single quote before a text
 * cell starting with = + - @, a tab or a carriage return (OWASP's CSV injection advice). Its
 * default pattern ends in `.*$`, which misses a formula followed by a line break; this one does not.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

const ids = (refs: Ref[]) => refs.map((r) => r.id).join("; ");
const names = (refs: Ref[]) => refs.map((r) => r.name ?? "").join("; ");

export const CSV_COLUMNS = [
  "id",
  "externalId",
  "connection",
  "type",
  "direction",
  "status",
  "title",
  "description",
  "startedAt",
  "endedAt",
  "duration",
  "ownerId",
  "ownerName",
  "contactIds",
  "contactNames",
  "companyIds",
  "companyNames",
  "opportunityIds",
  "opportunityNames",
  "userIds",
  "userNames",
  "deletedAt",
  "warnings",
] as const;

/** The `via` column a rolled-up export adds: the opportunities a row came through. */
const VIA_COLUMN = "via";

/** The export's columns: `via` too for a rolled-up company. */
const fieldsOf = (via: boolean) => [...CSV_COLUMNS, ...(via ? [VIA_COLUMN] : [])];

const unparse = (fields: string[], data: unknown[][], header: boolean) =>
  Papa.unparse({ fields, data }, { newline: CSV_LINE_END, escapeFormulae: FORMULA_START, header });

/**
 * Lines are separated, the last not ended: a streamed export puts CSV_LINE_END before each
 * batch, so it is byte for byte the file built whole (a trailing line break misleads readers
 * that guess the delimiter, papaparse among them).
 */
export const CSV_LINE_END = "\r\n";

/** The header line alone, as a streamed export starts. */
export const csvHeader = (options: { via?: boolean } = {}) =>
  unparse([], [fieldsOf(!!options.via)], false);

/**
 * Engagements as CSV with both ids and resolved names, built by papaparse. A rolled-up company's
 * export adds `via`: the opportunities a row was included through, by name (else id). With
 * `header: false`, the rows alone (a streamed export's batches), no line break after the last.
 */
export function engagementsToCsv(
  rows: EngagementView[],
  options: { via?: boolean; header?: boolean } = {},
): string {
  const via = !!options.via;
  const data = rows.map((e) => [
    e.id,
    e.externalId,
    formatConnection(e),
    e.type,
    e.direction,
    e.status,
    e.title,
    e.description,
    e.startedAt,
    e.endedAt,
    e.duration,
    e.owner?.id,
    e.owner?.name,
    ids(e.contacts),
    names(e.contacts),
    ids(e.companies),
    names(e.companies),
    ids(e.opportunities),
    names(e.opportunities),
    ids(e.users),
    names(e.users),
    e.deletedAt,
    e.warnings.join("; "),
    ...(via ? [(e.via ?? []).map((o) => o.name ?? o.id).join("; ")] : []),
  ]);
  return unparse(fieldsOf(via), data, options.header ?? true);
}
