import { expect } from "vitest";
import type { Store } from "@/db/store";
import { deliver } from "./deliver";
import type { PostedEngagements } from "./read-model";

/** A history of writes that moves every counted column, for the engagement_counts tests. */

export const ACME = { connector: "hubspot", owner: "acme-prod" };
export const GLOBEX = { connector: "salesforce", owner: "globex-eu" };
export type Conn = typeof ACME;

/** Posts through the real ingest(), telling the oracle when there is one. */
export async function postOne(
  target: Store,
  body: unknown,
  connection: Conn,
  model?: PostedEngagements,
) {
  expect((await deliver(target, body, connection)).status).toBe(200);
  model?.post(body, connection);
}

const at = (minutes: number) => new Date(Date.UTC(2025, 2, 1) + minutes * 60_000).toISOString();

export function snapshot(id: string, version: number, fields: Record<string, unknown>) {
  return {
    event: "crmEngagement::updated",
    data: {
      object: "resource",
      model: "crmEngagement",
      id,
      fields: { startedAt: at(version), ...fields },
      createdAt: at(0),
      updatedAt: at(version),
    },
  };
}

export function tombstone(id: string, version: number) {
  return {
    event: "crmEngagement::deleted",
    data: { object: "resource", model: "crmEngagement", id, updatedAt: at(version) },
  };
}

const owner = (id: string) => ({ object: "resourceRef", model: "genericUser", id });
// Odd values on purpose: an unknown type, an empty one (not the same as none), no status.
const TYPES = ["call", "meeting", "email", "sms", "", undefined];
const STATUSES = ["planned", "completed", "canceled", undefined];
const DIRECTIONS = ["inbound", "outbound", undefined];
const OWNERS = ["u1", "u2", "u3", undefined];

export function fieldsFor(i: number) {
  return {
    type: TYPES[i % TYPES.length],
    status: STATUSES[(i * 7) % STATUSES.length],
    direction: DIRECTIONS[(i * 5) % DIRECTIONS.length],
    ...(OWNERS[i % 4] ? { owner: owner(OWNERS[i % 4]!) } : {}),
  };
}

/** Everything ingest() can do to a counted column, through the real ingest(). */
export async function ingestHistory(target: Store, model?: PostedEngagements) {
  const post = (store: Store, body: unknown, connection: Conn) =>
    postOne(store, body, connection, model);
  for (const connection of [ACME, GLOBEX]) {
    const n = connection === ACME ? 60 : 25;
    for (let i = 0; i < n; i++) await post(target, snapshot(`e${i}`, 10, fieldsFor(i)), connection);
    // Updates that move type, status, owner and direction.
    for (let i = 0; i < n; i += 3) {
      await post(target, snapshot(`e${i}`, 20, fieldsFor(i + 1)), connection);
    }
    // A redelivery (unchanged) and a stale one change nothing.
    await post(target, snapshot("e3", 20, fieldsFor(4)), connection);
    await post(target, snapshot("e6", 5, fieldsFor(99)), connection);
    // Tombstones, one of them twice, and one that is stale.
    for (let i = 1; i < n; i += 4) await post(target, tombstone(`e${i}`, 30), connection);
    await post(target, tombstone("e1", 30), connection);
    await post(target, tombstone("e2", 1), connection);
    // Revivals: a newer snapshot after the tombstone, with other values.
    await post(target, snapshot("e5", 40, fieldsFor(7)), connection);
    await post(target, snapshot("e9", 40, fieldsFor(9)), connection);
    // An older snapshot after a tombstone stays dead.
    await post(target, snapshot("e13", 25, fieldsFor(2)), connection);
    // Tombstones for ids never seen.
    await post(target, tombstone("ghost-1", 50), connection);
    await post(target, tombstone("ghost-2", 50), connection);
    // An update after a tombstone then deleted again.
    await post(target, snapshot("e17", 45, fieldsFor(3)), connection);
    await post(target, tombstone("e17", 46), connection);
  }
}
