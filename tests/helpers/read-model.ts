import type { EngagementQuery } from "@/db/types";

/**
 * A plain-TypeScript model of the engagements a test posted: it is told every event the test
 * sends (snapshots, deletes, the connection they came through) and answers which engagements a
 * query matches and in what order, without asking the store. Read tests compare the store's
 * answers to it, so a store that agrees with itself but not with what was sent still fails.
 *
 * It keeps to what Morph events say: newest `data.updatedAt` wins, a delete no older than the
 * stored version tombstones the engagement (keeping its last snapshot's values), a delete of an
 * engagement never seen leaves a bare tombstone started at the delete's time.
 */

export type PostedConnection = { connector?: string; owner?: string };

export type ModelEngagement = {
  /** Order of first arrival: the order the store numbers engagements in. */
  seq: number;
  key: string;
  connectorId: string;
  connectionOwnerId: string;
  externalId: string;
  type: string | null;
  direction: string | null;
  status: string | null;
  title: string | null;
  description: string | null;
  startedAt: number;
  ownerId: string | null;
  users: string[];
  contacts: string[];
  companies: string[];
  opportunities: string[];
  deleted: boolean;
  /** `data.updatedAt` of the snapshot or delete that won. */
  version: number;
};

/** How an engagement of the store's list is named in the model: connection and external id. */
export const engagementKey = (e: {
  connectorId: string;
  connectionOwnerId: string;
  externalId: string;
}) => `${e.connectorId}:${e.connectionOwnerId}/${e.externalId}`;

const LISTS = ["users", "contacts", "companies", "opportunities"] as const;

type Event = {
  event?: unknown;
  data?: { id?: unknown; fields?: unknown; createdAt?: unknown; updatedAt?: unknown };
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function instant(value: unknown): number | null {
  if (typeof value !== "string") return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/** An enum column: the value as sent; the model is not built for odd values. */
function choice(fields: Record<string, unknown>, key: string): string | null {
  const value = fields[key];
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  throw new Error(`the read model does not know fields.${key} = ${JSON.stringify(value)}`);
}

function text(fields: Record<string, unknown>, key: string): string | null {
  const value = fields[key];
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return null;
}

function refId(ref: unknown): string | null {
  if (!isObject(ref)) return null;
  if (typeof ref.id === "string" && ref.id.trim() !== "") return ref.id.trim();
  if (typeof ref.id === "number" && Number.isFinite(ref.id)) return String(ref.id);
  return null;
}

/** The ids a reference list names, once each, in order. */
function refIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  const ids: string[] = [];
  for (const ref of value) {
    const id = refId(ref);
    if (id !== null && !ids.includes(id)) ids.push(id);
  }
  return ids;
}

export class PostedEngagements {
  private readonly byKey = new Map<string, ModelEngagement>();
  private next = 0;

  /** Takes note of one event as it was posted through `connection` (deliver()'s defaults). */
  post(body: unknown, connection: PostedConnection = {}) {
    const event = (typeof body === "string" ? JSON.parse(body) : body) as Event;
    if (typeof event.event !== "string" || !event.event.startsWith("crmEngagement::")) return;
    const data = event.data ?? {};
    const connectorId = connection.connector ?? "hubspot";
    const connectionOwnerId = connection.owner ?? "acme-prod";
    const externalId = String(data.id);
    const key = engagementKey({ connectorId, connectionOwnerId, externalId });
    const version = instant(data.updatedAt);
    if (version === null) throw new Error(`the read model needs data.updatedAt (${key})`);
    const stored = this.byKey.get(key);
    if (event.event === "crmEngagement::deleted") {
      if (!stored) {
        this.byKey.set(key, {
          ...this.blank(key, connectorId, connectionOwnerId, externalId),
          startedAt: version,
          deleted: true,
          version,
        });
      } else if (version >= stored.version) {
        stored.deleted = true;
        stored.version = version;
      }
      return;
    }
    if (stored && (version < stored.version || (stored.deleted && version <= stored.version))) {
      return; // stale
    }
    const fields = isObject(data.fields) ? data.fields : {};
    this.byKey.set(key, {
      seq: stored?.seq ?? this.next++,
      key,
      connectorId,
      connectionOwnerId,
      externalId,
      type: choice(fields, "type"),
      direction: choice(fields, "direction"),
      status: choice(fields, "status"),
      title: text(fields, "title"),
      description: text(fields, "description"),
      startedAt: instant(fields.startedAt) ?? instant(data.createdAt) ?? version,
      ownerId: refId(fields.owner),
      ...(Object.fromEntries(LISTS.map((list) => [list, refIds(fields[list])])) as Record<
        (typeof LISTS)[number],
        string[]
      >),
      deleted: false,
      version,
    });
  }

  private blank(
    key: string,
    connectorId: string,
    connectionOwnerId: string,
    externalId: string,
  ): Omit<ModelEngagement, "startedAt" | "deleted" | "version"> {
    return {
      seq: this.next++,
      key,
      connectorId,
      connectionOwnerId,
      externalId,
      type: null,
      direction: null,
      status: null,
      title: null,
      description: null,
      ownerId: null,
      users: [],
      contacts: [],
      companies: [],
      opportunities: [],
    };
  }

  /** Every engagement, tombstones included, in the order they first arrived. */
  all(): ModelEngagement[] {
    return [...this.byKey.values()].sort((a, b) => a.seq - b.seq);
  }

  /** Every match of `query` in the list's order (its `limit` aside; it takes no `after`). */
  matching(query: EngagementQuery): ModelEngagement[] {
    if (query.after !== null) throw new Error("the read model lists from the start");
    const sign = query.newestFirst ? -1 : 1;
    return this.all()
      .filter((e) => matches(e, query))
      .sort((a, b) => sign * (a.startedAt - b.startedAt || a.seq - b.seq));
  }
}

/** Words as the full-text index reads them: letters and digits, case and accents folded. */
export function words(value: string): string[] {
  return (
    value
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/**
 * What a search box's text asks for: every word typed (a word with a trailing `*` as a
 * prefix), each found within the title or within the description; punctuation is no word.
 */
function searchTerms(value: string | null) {
  const terms: { words: string[]; prefix: boolean }[] = [];
  for (const raw of (value ?? "").normalize("NFC").split(/\s+/)) {
    const parts = words(raw.replace(/["*]/g, ""));
    if (parts.length === 0) continue;
    terms.push({ words: parts, prefix: /\w\*+$/u.test(raw) });
    if (terms.length >= 16) break;
  }
  return terms;
}

function containsTerm(text: string[], term: { words: string[]; prefix: boolean }) {
  const n = term.words.length;
  for (let at = 0; at + n <= text.length; at++) {
    const hit = term.words.every((word, i) =>
      term.prefix && i === n - 1 ? text[at + i]!.startsWith(word) : text[at + i] === word,
    );
    if (hit) return true;
  }
  return false;
}

/** Whether the query matches the engagement: every filter it sets, in plain TypeScript. */
export function matches(e: ModelEngagement, q: EngagementQuery): boolean {
  const has = (ids: string[], id: string | null) => id === null || ids.includes(id);
  const among = (values: string[], value: string | null) =>
    values.length === 0 || (value !== null && values.includes(value));
  const title = words(e.title ?? "");
  const description = words(e.description ?? "");
  return (
    (q.owner === null || e.ownerId === q.owner) &&
    has(e.contacts, q.contact) &&
    has(e.companies, q.company) &&
    has(e.opportunities, q.opportunity) &&
    has(e.users, q.user) &&
    among(q.type, e.type) &&
    among(q.direction, e.direction) &&
    among(q.status, e.status) &&
    (q.fromMs === null || e.startedAt >= q.fromMs) &&
    (q.toMs === null || e.startedAt <= q.toMs) &&
    searchTerms(q.text).every(
      (term) => containsTerm(title, term) || containsTerm(description, term),
    ) &&
    (q.connection === null ||
      (e.connectorId === q.connection.connectorId &&
        e.connectionOwnerId === q.connection.connectionOwnerId)) &&
    (q.deleted === "include" || (q.deleted === "only") === e.deleted)
  );
}

const FACETS = ["type", "status", "direction", "owner"] as const;
type Facet = (typeof FACETS)[number];
const facetValue = (e: ModelEngagement, key: Facet) => (key === "owner" ? e.ownerId : e[key]);
const narrows = (q: EngagementQuery, key: Facet) =>
  key === "owner" ? q.owner !== null : q[key].length > 0;
const passesFacet = (q: EngagementQuery, e: ModelEngagement, key: Facet) =>
  key === "owner"
    ? q.owner === null || e.ownerId === q.owner
    : q[key].length === 0 || q[key].includes(facetValue(e, key)!);
const withoutFacet = (q: EngagementQuery, key: Facet): EngagementQuery =>
  key === "owner" ? { ...q, owner: null } : { ...q, [key]: [] };

/**
 * The list's facets for a query, as the model counts them: each facet over the matches of the
 * query less that facet's own filter (Datasette-style), values sorted by count, the 10 busiest
 * owners. With `sample`, over the newest `sample` matches of the query less all four facets
 * (each facet over its own newest `sample` once that set is past it and the query narrows a
 * facet), as SQLite counts past its sample.
 */
export function expectedFacets(
  posted: PostedEngagements,
  query: EngagementQuery,
  sample = Infinity,
) {
  const newest = (q: EngagementQuery) => posted.matching({ ...q, after: null, newestFirst: true });
  const broadRows = newest({ ...query, owner: null, type: [], status: [], direction: [] });
  const ownWalks = broadRows.length > sample && FACETS.some((key) => narrows(query, key));
  let capped = !ownWalks && broadRows.length > sample;
  const out: Record<string, { value: string | null; count: number }[]> = {};
  for (const key of FACETS) {
    let rows = broadRows;
    if (ownWalks) {
      rows = newest(narrows(query, key) ? withoutFacet(query, key) : query);
      if (rows.length > sample) capped = true;
    }
    const tally = new Map<string | null, number>();
    for (const e of rows.slice(0, sample)) {
      if (!FACETS.every((other) => other === key || passesFacet(query, e, other))) continue;
      tally.set(facetValue(e, key), (tally.get(facetValue(e, key)) ?? 0) + 1);
    }
    out[key] = [...tally]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
  }
  out.owner = out.owner!.filter((o) => o.value !== null).slice(0, 10);
  return { ...out, capped, sampled: capped ? sample : null };
}
