import { expect } from "vitest";
import type { EngagementDetail } from "@/db/types";

const LISTS = ["users", "contacts", "companies", "opportunities"] as const;
const SCALARS = [
  "type",
  "direction",
  "status",
  "title",
  "description",
  "startedAt",
  "endedAt",
  "duration",
] as const;

/** The compared fields as the engagement shows them now: what its last version must say. */
export function currentVersion(e: EngagementDetail): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const field of SCALARS) state[field] = e[field];
  state.owner = e.owner?.id ?? null;
  for (const list of LISTS) state[list] = e[list].map((ref) => ref.id).sort();
  state.deleted = e.deletedAt !== null;
  return state;
}

/**
 * An engagement's history read as a chain: the first version from null, each later one from
 * what the versions before left, and all of them together to what the engagement holds now.
 */
export function expectHistoryChains(e: EngagementDetail) {
  expect(e.history.length).toBeGreaterThan(0);
  const state: Record<string, unknown> = {};
  for (const field of SCALARS) state[field] = null;
  state.owner = null;
  for (const list of LISTS) state[list] = [];
  state.deleted = false;
  e.history.forEach((version, i) => {
    expect(version.changes.length, `version ${i + 1} changes something`).toBeGreaterThan(0);
    for (const change of version.changes) {
      const from = i === 0 ? null : state[change.field];
      expect(change.from, `version ${i + 1}, ${change.field}`).toEqual(from);
      expect(change.to).not.toEqual(change.from);
      state[change.field] = change.to;
    }
  });
  expect(state).toEqual(currentVersion(e));
}
