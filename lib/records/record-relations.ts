import { getStore } from "@/db/app-store";
import type { RecordModel } from "@/db/models";
import type { Connection, RecordView } from "@/db/types";
import { toEngagementQuery, type EngagementFilter } from "@/lib/filters";

/** A record a record page links to: an opportunity's company, a company's contact. */
export type RelatedRecord = { model: RecordModel; id: string; name: string | null; count?: number };
export type RelatedSection = { title: string; records: RelatedRecord[]; empty: string };

/** How many contacts a company page lists, most frequent first. */
const TOP_CONTACTS = 10;

/** The ids of a record's list of references (`fields.companies`); anything else is skipped. */
function refIds(fields: Record<string, unknown>, key: string): string[] {
  const value = fields[key];
  const list = Array.isArray(value) ? value : value && typeof value === "object" ? [value] : [];
  const ids = list
    .map((item) => (item && typeof item === "object" ? (item as { id?: unknown }).id : null))
    .filter((id): id is string | number => typeof id === "string" || typeof id === "number")
    .map(String);
  return [...new Set(ids)];
}

async function named(model: RecordModel, ids: string[], connection: Connection) {
  if (ids.length === 0) return [];
  const names = await getStore().namesFor(model, ids, connection);
  return ids.map((id) => ({ model, id, name: names.get(id) ?? null }));
}

/**
 * What a record page shows beside its timeline. An opportunity: its owner, contacts and
 * companies, as its own fields list them. A company: its opportunities (whose `companies` hold
 * it) and the contacts seen on its timeline's engagements, with how often.
 */
export async function loadRecordRelations(
  model: RecordModel,
  id: string,
  connection: Connection,
  record: RecordView | null,
  timeline: EngagementFilter,
): Promise<RelatedSection[]> {
  if (model === "crmOpportunity") {
    const fields = record?.fields ?? {};
    const [owner, contacts, companies] = await Promise.all([
      named("genericUser", refIds(fields, "owner"), connection),
      named("genericContact", refIds(fields, "contacts"), connection),
      named("genericCompany", refIds(fields, "companies"), connection),
    ]);
    return [
      { title: "Owner", records: owner, empty: "No owner" },
      { title: "Contacts", records: contacts, empty: "No contacts" },
      { title: "Companies", records: companies, empty: "No companies" },
    ];
  }
  if (model === "genericCompany") {
    const store = getStore();
    const query = toEngagementQuery({ ...timeline, cursor: null });
    const [opportunities, seen] = await Promise.all([
      store.companyOpportunities(id, connection),
      store.countReferences(query, "contact", TOP_CONTACTS),
    ]);
    const names = await store.namesFor(
      "genericContact",
      seen.map((c) => c.id),
      connection,
    );
    return [
      {
        title: "Opportunities",
        records: opportunities.map((o) => ({ model: "crmOpportunity", id: o.id, name: o.name })),
        empty: "No opportunity lists this company",
      },
      {
        title: "Contacts on its engagements",
        records: seen.map((c) => ({
          model: "genericContact",
          id: c.id,
          name: names.get(c.id) ?? null,
          count: c.count,
        })),
        empty: "No contacts yet",
      },
    ];
  }
  return [];
}
