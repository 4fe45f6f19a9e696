import { getStore } from "@/db/app-store";
import type { RecordModel } from "@/db/models";
import { OWNER_MODEL, REFERENCE_ROLES } from "@/db/roles";
import type { EngagementDetail } from "@/db/types";

/** The record model each id-valued history field names. */
export const HISTORY_FIELD_MODELS: Record<string, RecordModel> = {
  owner: OWNER_MODEL,
  ...Object.fromEntries(REFERENCE_ROLES.map((entry) => [entry.list, entry.model])),
};

/** Display names by model and id (null: no name known). */
export type HistoryNames = Partial<Record<RecordModel, Record<string, string | null>>>;

/** The names of every record an engagement's history mentions, from its own connection first. */
export async function loadHistoryNames(e: EngagementDetail): Promise<HistoryNames> {
  const ids = new Map<RecordModel, Set<string>>();
  for (const version of e.history) {
    for (const { field, from, to } of version.changes) {
      const model = HISTORY_FIELD_MODELS[field];
      if (!model) continue;
      const seen = ids.get(model) ?? new Set<string>();
      ids.set(model, seen);
      for (const value of [from, to].flat()) if (typeof value === "string") seen.add(value);
    }
  }
  const connection = { connectorId: e.connectorId, connectionOwnerId: e.connectionOwnerId };
  const store = getStore();
  const entries = await Promise.all(
    [...ids].map(async ([model, set]) => {
      const names = await store.namesFor(model, [...set], connection);
      return [model, Object.fromEntries(names)] as const;
    }),
  );
  return Object.fromEntries(entries);
}
