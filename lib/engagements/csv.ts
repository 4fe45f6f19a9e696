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

/**
 * Engagements as CSV with both ids and resolved names, built by papaparse. A rolled-up company's
 * export adds `via`: the opportunities a row was included through, by name (else id).
 */
export function engagementsToCsv(rows: EngagementView[], options: { via?: boolean } = {}): string {
  const fields: string[] = [...CSV_COLUMNS, ...(options.via ? [VIA_COLUMN] : [])];
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
    ...(options.via ? [(e.via ?? []).map((o) => o.name ?? o.id).join("; ")] : []),
  ]);
  return Papa.unparse({ fields, data }, { newline: "\r\n", escapeFormulae: FORMULA_START });
}
