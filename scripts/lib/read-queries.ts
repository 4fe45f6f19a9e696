import type Database from "better-sqlite3";

/**
 * The list page's reads written as raw SQL that walks the indexes the schema provides, for the
 * benchmark to time until (and beside) the app's own query functions. Filter names follow
 * CONTRACT.md's URL parameters.
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

/** How a text filter finds its rows: all matches then sort, or walk by date and test each row. */
export type TextStrategy = "fts-first" | "date-walk" | "adaptive";

const REF_FILTERS = ["contact", "company", "opportunity", "user"] as const;
const ROLE_MODEL = `CASE r.role WHEN 'user' THEN 'genericUser' WHEN 'contact' THEN 'genericContact'
  WHEN 'company' THEN 'genericCompany' ELSE 'crmOpportunity' END`;
/** Below this many matches, sorting them all is cheap; above it, walking by date finds a page sooner. */
const FREQUENT_MATCHES = 5_000;

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

function compile(filter: ReadFilter, text: "fts-first" | "date-walk"): Compiled {
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
    where.push(
      text === "fts-first"
        ? "e.id IN (SELECT rowid FROM engagements_fts WHERE engagements_fts MATCH ?)"
        : "EXISTS (SELECT 1 FROM engagements_fts WHERE engagements_fts MATCH ? AND rowid = e.id)",
    );
    params.push(ftsQuery(filter.q));
  }
  return { from, where, params, sortColumn, idColumn };
}

/**
 * Each word as a quoted term, so user input is never FTS5 syntax. Whole words, not prefixes:
 * a prefix query merges the doclists of every matching term on each probe, which makes the
 * date-ordered walk ~50x slower for a frequent word.
 */
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
  const isFrequent = (q: string) =>
    (
      prepare(
        "SELECT count(*) AS n FROM (SELECT 1 FROM engagements_fts WHERE engagements_fts MATCH ? LIMIT ?)",
      ).get(ftsQuery(q), FREQUENT_MATCHES) as { n: number }
    ).n >= FREQUENT_MATCHES;
  const textPlan = (filter: ReadFilter, strategy: TextStrategy) =>
    strategy !== "adaptive"
      ? strategy
      : filter.q && isFrequent(filter.q)
        ? "date-walk"
        : "fts-first";

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
    page(
      filter: ReadFilter,
      options: {
        limit?: number;
        cursor?: [number, number];
        offset?: number;
        text?: TextStrategy;
      } = {},
    ) {
      const c = compile(filter, textPlan(filter, options.text ?? "adaptive"));
      const where = [...c.where];
      const params = [...c.params];
      if (options.cursor) {
        where.push(`(${c.sortColumn}, ${c.idColumn}) < (?, ?)`);
        params.push(...options.cursor);
      }
      const sql = `SELECT e.id, e.external_id, e.type, e.direction, e.status, e.title, e.started_at,
          e.ended_at, e.duration, e.owner_id, e.deleted_at, ${c.sortColumn} AS sort_at
        FROM ${c.from} ${whereSql(where)}
        ORDER BY ${c.sortColumn} DESC, ${c.idColumn} DESC LIMIT ? OFFSET ?`;
      const rows = prepare(sql).all(
        ...params,
        options.limit ?? 50,
        options.offset ?? 0,
      ) as PageRow[];
      const ids = JSON.stringify(rows.map((r) => r.id));
      const refs = hydrateRefs.all(ids);
      const owners = hydrateOwners.all(ids);
      const last = rows.at(-1);
      return {
        rows,
        refs,
        owners,
        nextCursor: last ? ([last.sort_at, last.id] as [number, number]) : null,
      };
    },
    count(filter: ReadFilter) {
      const c = compile(filter, "fts-first");
      const sql = `SELECT count(*) AS n FROM ${c.from} ${whereSql(c.where)}`;
      return (prepare(sql).get(...c.params) as { n: number }).n;
    },
    /** Counts per type, status and direction for the filter: one pass, folded in JS. */
    facets(filter: ReadFilter) {
      const c = compile(filter, "fts-first");
      const sql = `SELECT e.type, e.status, e.direction, count(*) AS n FROM ${c.from} ${whereSql(c.where)}
        GROUP BY e.type, e.status, e.direction`;
      const out = {
        type: {} as Record<string, number>,
        status: {} as Record<string, number>,
        direction: {} as Record<string, number>,
      };
      for (const row of prepare(sql).all(...c.params) as {
        type: string | null;
        status: string | null;
        direction: string | null;
        n: number;
      }[]) {
        for (const key of ["type", "status", "direction"] as const) {
          const value = row[key] ?? "(none)";
          out[key][value] = (out[key][value] ?? 0) + row.n;
        }
      }
      return out;
    },
    explain(filter: ReadFilter, text: TextStrategy = "adaptive") {
      const c = compile(filter, textPlan(filter, text));
      const sql = `SELECT e.id FROM ${c.from} ${whereSql(c.where)} ORDER BY ${c.sortColumn} DESC, ${c.idColumn} DESC LIMIT 50`;
      return (sqlite.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...c.params) as { detail: string }[])
        .map((r) => r.detail)
        .join("; ");
    },
  };
}
