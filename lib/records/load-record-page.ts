import { OWNER_MODEL, REFERENCE_ROLES } from "@/db/roles";
import type { RecordModel, RefRole } from "@/db/models";
import { getStore } from "@/db/app-store";
import type { Connection, RecordView } from "@/db/types";
import type { EngagementFilter, RefFilterKey } from "@/lib/filters";
import { loadRecordRelations, type RelatedSection } from "./record-relations";
import {
  loadEngagementList,
  type EngagementListData,
} from "@/lib/engagements/load-engagement-list";

/** A record page's role: users are followed by what they own, the others by their references. */
export function recordRole(model: RecordModel): { role: RefRole; filterKey: RefFilterKey } {
  if (model === OWNER_MODEL) return { role: "user", filterKey: "owner" };
  const { role, filterKey } = REFERENCE_ROLES.find((entry) => entry.model === model)!;
  return { role, filterKey };
}

export type RecordPageData =
  | { kind: "unknown" }
  | { kind: "choose"; known: { connection: Connection; name: string | null }[] }
  | {
      kind: "record";
      connection: Connection;
      record: RecordView | null;
      timelineFilter: EngagementFilter;
      timeline: EngagementListData;
      related: RelatedSection[];
    };

/**
 * A record and its timeline. Ids are only unique per connection: without one in the filter, an
 * id known in several connections asks which.
 */
export async function loadRecordPage(
  model: RecordModel,
  id: string,
  filter: EngagementFilter,
  now: number,
): Promise<RecordPageData> {
  const store = getStore();
  const { role, filterKey } = recordRole(model);
  let connection = filter.connection;
  if (!connection) {
    const known = await store.connectionsOf(model, role, id);
    if (known.length === 0) return { kind: "unknown" };
    if (known.length > 1) {
      const names = await Promise.all(known.map((c) => store.getRecord(model, c, id)));
      return {
        kind: "choose",
        known: known.map((c, i) => ({ connection: c, name: names[i]?.name ?? null })),
      };
    }
    connection = known[0]!;
  }
  const record = await store.getRecord(model, connection, id);
  // A company's timeline rolls up its opportunities' engagements unless told `rollup=0`.
  const rollup = model === "genericCompany" ? (filter.rollup ?? true) : filter.rollup;
  const timelineFilter = { ...filter, connection, rollup, [filterKey]: id };
  const [timeline, related] = await Promise.all([
    loadEngagementList(timelineFilter, { locked: [filterKey], now }),
    loadRecordRelations(model, id, connection, record, timelineFilter),
  ]);
  return { kind: "record", connection, record, timelineFilter, timeline, related };
}

/** Whether an id is known anywhere (a record page answers 404 before it streams). */
export async function isKnownRecord(model: RecordModel, id: string) {
  const { role } = recordRole(model);
  return (await getStore().connectionsOf(model, role, id)).length > 0;
}
