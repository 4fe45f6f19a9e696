import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgDatabase } from "@/db/pg/client";
import { encodeEngagementCursor, parseFilter } from "@/lib/filters";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { toEngagementQuery } from "../helpers/read-queries";

/**
 * The plans PostgreSQL picks for the list's reads on a table big enough for its planner to choose
 * as it would at a million rows: each page walks the index of its order (no sort), a record's
 * filter walks engagement_refs, names come from index probes. Rows are inserted in SQL: this is
 * about plans, not ingest.
 */

const ROWS = 20_000;
const DAY = 86_400_000;
const START = Date.parse("2024-01-01T00:00:00Z");

const SEED = [
  `insert into engagements (id, connector_id, connection_owner_id, external_id, type, direction,
     status, title, description, started_at, duration, owner_id, updated_at, deleted_at, fields,
     warnings, content_hash, ingested_at)
   select i, 'hubspot', case when i % 10 = 0 then 'globex' else 'acme-prod' end, 'e' || i,
     (array['call','meeting','email','task','note'])[1 + i % 5],
     case when i % 3 = 0 then 'inbound' when i % 3 = 1 then 'outbound' end,
     (array['planned','completed','canceled'])[1 + i % 3],
     (array['pricing','renewal','security','budget'])[1 + i % 4]
       || case when i % 997 = 0 then ' indemnity' else ' check-in' end,
     'Regular touchpoint', ${START} + i * ${Math.floor((365 * DAY) / ROWS)}, 60,
     'u' || (1 + i * 31 % 50), ${START}, case when i % 50 = 0 then ${START} end,
     '["tdsTDaenoumcp"]'::jsonb, '[]'::jsonb, 'h' || i, ${START}
   from generate_series(1::bigint, ${ROWS}) i`,
  `insert into engagement_refs (connector_id, connection_owner_id, engagement_id, role, ref_id,
     position, started_at)
   select e.connector_id, e.connection_owner_id, e.id, r.role, r.ref_id, 0, e.started_at
   from engagements e, lateral (values ('contact', 'c' || e.id * 13 % 5000),
     ('company', 'm' || e.id * 17 % 1000), ('user', 'u' || (1 + e.id * 31 % 50))) r(role, ref_id)`,
  `insert into records (connector_id, connection_owner_id, model, external_id, name, fields,
     warnings, updated_at, content_hash, ingested_at)
   select 'hubspot', 'acme-prod', m.model, m.prefix || i, m.prefix || ' ' || i, '{}'::jsonb,
     '[]'::jsonb, 1, 'h', 1
   from generate_series(0, 4999) i, (values ('genericUser', 'u'), ('genericContact', 'c'),
     ('genericCompany', 'm')) m(model, prefix)`,
  `select setval('engagements_id_seq', ${ROWS})`,
  // As autovacuum leaves a table: statistics, and the full-text index's pending list merged.
  "vacuum analyze",
];

describe.runIf(testEngines().includes("postgres"))("PostgreSQL query plans", () => {
  let opened: EngineStore;
  let pg: PgDatabase;

  beforeAll(async () => {
    opened = await openEngineStore("postgres");
    pg = opened.pg!;
    for (const statement of SEED) await pg.$client.query(statement);
  });
  afterAll(() => opened?.cleanup());

  /** Every statement a call sends, with the plan PostgreSQL picks for it with its values. */
  async function plansOf(run: () => Promise<unknown>) {
    const client = pg.$client;
    const original = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
    const seen: { text: string; values: unknown[] }[] = [];
    const capture = (config: unknown, values?: unknown) => {
      const text = typeof config === "string" ? config : (config as { text: string }).text;
      const bound = typeof config === "string" ? values : (config as { values?: unknown }).values;
      seen.push({ text, values: (bound ?? values ?? []) as unknown[] });
      return original(config, values);
    };
    (client as unknown as { query: typeof capture }).query = capture;
    try {
      await run();
    } finally {
      (client as unknown as { query: typeof original }).query = original;
    }
    const plans = [];
    for (const { text, values } of seen) {
      const { rows } = await client.query(`explain (costs off) ${text}`, values);
      plans.push({ text, plan: rows.map((row) => row["QUERY PLAN"] as string).join("\n") });
    }
    return plans;
  }

  const queryOf = (params: string) => toEngagementQuery(parseFilter(new URLSearchParams(params)));

  /** The plan of the page's own query (the first statement a page sends). */
  async function pagePlan(params: string) {
    const plans = await plansOf(() => opened.store.listEngagements(queryOf(params)));
    expect(plans[0]!.text).toMatch(/^select e\.id, e\.connector_id/);
    return plans;
  }

  for (const [params, index] of [
    ["", "engagements_started"],
    ["sort=-startedAt", "engagements_started"],
    ["owner=u7", "engagements_owner_started"],
    ["type=call&status=planned", "engagements_started"],
    ["connection=hubspot:globex", "engagements_connection_started"],
    ["deleted=only", "engagements_deleted_started"],
    ["from=2024-03-01&to=2024-03-10", "engagements_started"],
    ["contact=c13", "engagement_refs_lookup"],
    ["company=m17&type=call&deleted=include", "engagement_refs_lookup"],
    ["contact=c13&user=u14", "engagement_refs_lookup"],
    ["q=check-in", "engagements_started"],
  ] as const) {
    it(`a page for "${params || "(no filter)"}" walks ${index} in its order, no sort`, async () => {
      const [page] = await pagePlan(params);
      expect(page!.plan).toContain(index);
      expect(page!.plan).not.toMatch(/\bSort\b/);
      expect(page!.plan).not.toContain("Seq Scan");
    });
  }

  it("a deep page starts at its cursor inside the index, either way", async () => {
    const cursor = encodeEngagementCursor({ startedAt: START + 180 * DAY, id: 10_000 });
    for (const params of [`cursor=${cursor}`, `cursor=${cursor}&sort=-startedAt`]) {
      const [page] = await pagePlan(params);
      expect(page!.plan).toMatch(/Index Cond: \(+ROW\(started_at, id\) [<>] ROW\(/);
      expect(page!.plan).not.toMatch(/\bSort\b/);
    }
  });

  it("a rare term reads the full-text index", async () => {
    const [page] = await pagePlan("q=indemnity");
    expect(page!.plan).toContain("engagements_search");
  });

  it("names every owner and reference of a page in one query, by index probes", async () => {
    const plans = await pagePlan("");
    expect(plans).toHaveLength(2);
    expect(plans[1]!.plan).toContain("engagement_refs_connector_id");
    expect(plans[1]!.plan).not.toMatch(/Seq Scan on (engagement_refs|records)/);
  });

  const CHART = {
    offsetMs: 0,
    startDay: 19_700,
    endDay: 19_729,
    fromMs: 19_700 * DAY,
    toMs: 19_730 * DAY - 1,
  };

  it("a summary the counters hold reads engagement_counts, its chart the date index alone", async () => {
    const plans = await plansOf(() =>
      opened.store.summarizeEngagements(queryOf("type=call&owner=u7&deleted=include"), CHART),
    );
    const reads = plans.filter((p) => /\bengagements\b|engagement_counts/.test(p.text));
    expect(reads.filter((p) => p.text.includes("engagement_counts"))).toHaveLength(2);
    const days = reads.filter((p) => /\bengagements e\b/.test(p.text));
    expect(days).toHaveLength(1);
    expect(days[0]!.plan).toMatch(/Index Only Scan using engagements_owner_started/);
  });

  it("past the counters, the count stops at its cap and the sample walks the date index", async () => {
    for (const params of ["q=check-in", "from=2024-02-01&to=2024-09-01&type=call"]) {
      const plans = await plansOf(() => opened.store.summarizeEngagements(queryOf(params), CHART));
      const count = plans.find((p) => /^select count\(\*\) as n from \(select 1/.test(p.text));
      expect(count!.plan, params).toMatch(/^Aggregate\s+->\s+Limit/);
      const walk = plans.find((p) => /order by e\.started_at desc, e\.id desc limit/.test(p.text));
      expect(walk!.plan, params).toMatch(/Index (Only )?Scan Backward using engagements_started/);
      expect(walk!.plan, params).not.toMatch(/\bSort\b/);
    }
  });

  it("a record's count and summary read its refs, not every engagement", async () => {
    const plans = await plansOf(async () => {
      await opened.store.countEngagements(queryOf("contact=c13"));
      await opened.store.summarizeEngagements(queryOf("company=m17"), {
        offsetMs: 0,
        startDay: 19_700,
        endDay: 19_730,
        fromMs: 19_700 * DAY,
        toMs: 19_731 * DAY,
      });
    });
    const counted = plans.filter((p) => /from engagement_refs r/.test(p.text));
    // The count, and the summary's walk (a record's few engagements give its count too).
    expect(counted.length).toBeGreaterThanOrEqual(2);
    for (const { plan } of counted) {
      expect(plan).toContain("engagement_refs_lookup");
      expect(plan).not.toContain("Seq Scan");
    }
  });
});
