import type Database from "better-sqlite3";
import { FREQUENT_TERM, RARE_TERM } from "./world";

/**
 * The list page's query as raw SQL paged by OFFSET: the baseline the benchmark sets beside the
 * app's keyset cursor (the app itself has no OFFSET path). Filter names follow CONTRACT.md's
 * URL parameters.
 */
export type ReadFilter = {
  owner?: string;
  contact?: string;
  company?: string;
  opportunity?: string;
  user?: string;
  type?: string[];
  direction?: string[];
  status?: string[];
  from?: string;
  to?: string;
  q?: string;
  connection?: string;
  deleted?: "hide" | "include" | "only";
};

const REF_FILTERS = ["contact", "company", "opportunity", "user"] as const;
const ROLE_MODEL = `CASE r.role WHEN 'user' THEN 'genericUser' WHEN 'contact' THEN 'genericContact'
  WHEN 'company' THEN 'genericCompany' ELSE 'crmOpportunity' END`;

export function toSearchParams(filter: ReadFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (Array.isArray(value)) for (const v of value) params.append(key, v);
    else if (value !== undefined) params.set(key, value);
  }
  return params;
}

type Compiled = {
  from: string;
  where: string[];
  params: unknown[];
  sortColumn: string;
  idColumn: string;
};

function compile(filter: ReadFilter): Compiled {
  const where: string[] = [];
  const params: unknown[] = [];
  let from = "engagements e";
  let sortColumn = "e.started_at";
  let idColumn = "e.id";
  const refs = REF_FILTERS.filter((key) => filter[key]);
  if (refs.length > 0) {
    // "Every call with this contact, newest first" is one walk of engagement_refs_lookup.
    const [first, ...rest] = refs;
    from = "engagement_refs r JOIN engagements e ON e.id = r.engagement_id";
    where.push("r.role = ? AND r.ref_id = ?");
    params.push(first, filter[first!]);
    sortColumn = "r.started_at";
    idColumn = "r.engagement_id";
    for (const key of rest) {
      where.push(
        "EXISTS (SELECT 1 FROM engagement_refs x WHERE x.engagement_id = e.id AND x.role = ? AND x.ref_id = ?)",
      );
      params.push(key, filter[key]);
    }
  }
  if (filter.owner) {
    where.push("e.owner_id = ?");
    params.push(filter.owner);
  }
  for (const key of ["type", "direction", "status"] as const) {
    const values = filter[key];
    if (values?.length) {
      where.push(`e.${key} IN (${values.map(() => "?").join(",")})`);
      params.push(...values);
    }
  }
  if (filter.from) {
    where.push(`${sortColumn} >= ?`);
    params.push(Date.parse(filter.from));
  }
  if (filter.to) {
    const to = Date.parse(filter.to);
    // A bare date is inclusive of the whole day.
    where.push(`${sortColumn} < ?`);
    params.push(/^\d{4}-\d{2}-\d{2}$/.test(filter.to) ? to + 86_400_000 : to + 1);
  }
  if (filter.connection) {
    const [connector, owner] = filter.connection.split(":");
    where.push("e.connector_id = ? AND e.connection_owner_id = ?");
    params.push(connector, owner);
  }
  const deleted = filter.deleted ?? "hide";
  if (deleted === "hide") where.push("e.deleted_at IS NULL");
  if (deleted === "only") where.push("e.deleted_at IS NOT NULL");
  if (filter.q) {
    where.push("e.id IN (SELECT rowid FROM engagements_fts WHERE engagements_fts MATCH ?)");
    params.push(ftsQuery(filter.q));
  }
  return { from, where, params, sortColumn, idColumn };
}

/** Each word as a quoted term, so user input is never FTS5 syntax. */
export function ftsQuery(q: string) {
  return q
    .split(/\s+/)
    .filter(Boolean)
    .map((word) => `"${word.replace(/"/g, '""')}"`)
    .join(" ");
}

const whereSql = (where: string[]) => (where.length ? `WHERE ${where.join(" AND ")}` : "");

export type PageRow = { id: number; started_at: number; sort_at: number };

export function createReader(sqlite: Database.Database) {
  const cache = new Map<string, Database.Statement>();
  const prepare = (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = sqlite.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
  const hydrateRefs = sqlite.prepare(
    `SELECT r.engagement_id, r.role, r.ref_id, c.name FROM engagement_refs r
     JOIN engagements e ON e.id = r.engagement_id
     LEFT JOIN records c ON c.connector_id = e.connector_id AND c.connection_owner_id = e.connection_owner_id
       AND c.model = ${ROLE_MODEL} AND c.external_id = r.ref_id
     WHERE r.engagement_id IN (SELECT value FROM json_each(?))`,
  );
  const hydrateOwners = sqlite.prepare(
    `SELECT e.id, u.name FROM engagements e
     LEFT JOIN records u ON u.connector_id = e.connector_id AND u.connection_owner_id = e.connection_owner_id
       AND u.model = 'genericUser' AND u.external_id = e.owner_id
     WHERE e.id IN (SELECT value FROM json_each(?))`,
  );

  return {
    /** One page, newest first, with every reference and the owner resolved to a name. */
    page(filter: ReadFilter, options: { limit?: number; offset?: number } = {}) {
      const c = compile(filter);
      const sql = `SELECT e.id, e.external_id, e.type, e.direction, e.status, e.title, e.started_at,
          e.ended_at, e.duration, e.owner_id, e.deleted_at, ${c.sortColumn} AS sort_at
        FROM ${c.from} ${whereSql(c.where)}
        ORDER BY ${c.sortColumn} DESC, ${c.idColumn} DESC LIMIT ? OFFSET ?`;
      const rows = prepare(sql).all(
        ...c.params,
        options.limit ?? 50,
        options.offset ?? 0,
      ) as PageRow[];
      const ids = JSON.stringify(rows.map((r) => r.id));
      const refs = hydrateRefs.all(ids);
      const owners = hydrateOwners.all(ids);
      return { rows, refs, owners };
    },
  };
}

export type ReadCase = { name: string; filter: ReadFilter; combo?: boolean };

/**
 * The benchmark's read cases (scripts/bench/, scripts/bench-counts.ts): each filter alone and
 * three realistic combinations, with the busiest owner, contact, company, deal and user of the
 * database in `sqlite`, dates counted back from `now`.
 */
export function readCases(sqlite: Database.Database, now: number): ReadCase[] {
  const top = (sql: string) => (sqlite.prepare(sql).get() as { v: string }).v;
  // The busiest ones: the worst case for a count.
  const owner = top(
    "SELECT owner_id AS v FROM engagements GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1",
  );
  const topRef = (role: string) =>
    top(
      `SELECT ref_id AS v FROM engagement_refs WHERE role = '${role}' GROUP BY ref_id ORDER BY count(*) DESC LIMIT 1`,
    );
  const contact = topRef("contact");
  const company = topRef("company");
  const opportunity = topRef("opportunity");
  const user = topRef("user");
  const day = (offset: number) => new Date(now - offset * 86_400_000).toISOString().slice(0, 10);
  return [
    { name: "no filter", filter: {} },
    { name: "owner", filter: { owner } },
    { name: "contact", filter: { contact } },
    { name: "company", filter: { company } },
    { name: "opportunity", filter: { opportunity } },
    { name: "user", filter: { user } },
    { name: "type=meeting", filter: { type: ["meeting"] } },
    { name: "direction=inbound", filter: { direction: ["inbound"] } },
    { name: "status=planned", filter: { status: ["planned"] } },
    { name: "date range (2 weeks, a year ago)", filter: { from: day(380), to: day(366) } },
    { name: `text, rare ("${RARE_TERM}")`, filter: { q: RARE_TERM } },
    { name: `text, frequent ("${FREQUENT_TERM}")`, filter: { q: FREQUENT_TERM } },
    { name: "connection (the smaller one)", filter: { connection: "salesforce:globex-eu" } },
    { name: "deleted=only", filter: { deleted: "only" } },
    {
      name: "owner + calls + last quarter",
      filter: { owner, type: ["call"], from: day(90) },
      combo: true,
    },
    {
      name: "company + meetings + completed, deleted included",
      filter: { company, type: ["meeting"], status: ["completed"], deleted: "include" },
      combo: true,
    },
    {
      name: `text "pricing" + emails + one connection`,
      filter: { q: "pricing", type: ["email"], connection: "hubspot:acme-prod" },
      combo: true,
    },
  ];
}
