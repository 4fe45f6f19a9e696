import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgStore } from "@/db/pg/store";
import type { SummaryTuning } from "@/db/read-tuning";
import type { AppDatabase } from "@/db/sqlite/client";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import type { Summary } from "@/db/types";
import { activityWindow, parseFilter, toEngagementQuery } from "@/lib/filters";
import { deliver } from "../helpers/deliver";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent } from "../helpers/morph";
import { seededRandom, type SeededRandom } from "../helpers/seeded-random";

/**
 * The same events posted to a SQLite and a PostgreSQL store give the same summary, count,
 * facets and chart for every filter, whether the counters answer, the count stops at its cap,
 * or facets and chart fold a sample: a user moving from one engine to the other sees the same
 * numbers.
 */

const ACME = { connector: "hubspot", owner: "acme-prod" };
const GLOBEX = { connector: "salesforce", owner: "globex-eu" };
const DAY = 86_400_000;
const START = Date.UTC(2025, 1, 1);
const ENGAGEMENTS = 320;

const pick = <T>(random: SeededRandom, items: readonly T[]) =>
  items[Math.floor(random.next() * items.length)]!;
const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });

/** One engagement's fields: odd values on purpose (an unknown type, none at all). */
function fieldsOf(random: SeededRandom) {
  const words = ["pricing", "renewal", "security", "budget", "kickoff"];
  const owner = pick(random, ["u1", "u1", "u2", "u3", undefined]);
  // Few hours in a day: engagements share a startedAt, so ties fall to the id.
  const startedAt =
    START + Math.floor(random.next() * 59) * DAY + pick(random, [9, 13, 17]) * 3600_000;
  return {
    type: pick(random, ["call", "call", "meeting", "email", "sms", undefined]),
    status: pick(random, ["planned", "completed", "completed", "canceled", undefined]),
    direction: pick(random, ["inbound", "outbound", undefined]),
    title: `${pick(random, words)} ${pick(random, words)}`,
    description: random.next() < 0.05 ? "indemnity clause" : "Regular touchpoint",
    startedAt: new Date(startedAt).toISOString(),
    ...(owner ? { owner: ref("genericUser", owner) } : {}),
    contacts: [ref("genericContact", pick(random, ["c1", "c2", "c3"]))],
    companies: random.next() < 0.5 ? [ref("genericCompany", pick(random, ["m1", "m2"]))] : [],
  };
}

type Post = { body: unknown; connection: typeof ACME };

/** Engagements, then updates that move counted values, tombstones and revivals, in one order. */
function corpus(random: SeededRandom): Post[] {
  const posts: Post[] = [];
  const at = (version: number) => new Date(Date.UTC(2025, 5, 1) + version * 1000).toISOString();
  const connectionOf = (i: number) => (i % 4 === 3 ? GLOBEX : ACME);
  for (let i = 0; i < ENGAGEMENTS; i++) {
    const body = engagementEvent(`e${i}`, at(1), { fields: fieldsOf(random) });
    posts.push({ body, connection: connectionOf(i) });
  }
  for (let i = 0; i < ENGAGEMENTS; i++) {
    const roll = random.next();
    const connection = connectionOf(i);
    if (roll < 0.15) {
      posts.push({
        body: engagementEvent(`e${i}`, at(2), { fields: fieldsOf(random) }),
        connection,
      });
    } else if (roll < 0.25) {
      posts.push({ body: engagementEvent(`e${i}`, at(3), { action: "deleted" }), connection });
      if (roll < 0.17) {
        const revived = engagementEvent(`e${i}`, at(4), { fields: fieldsOf(random) });
        posts.push({ body: revived, connection });
      }
    }
  }
  posts.push({ body: engagementEvent("ghost", at(5), { action: "deleted" }), connection: ACME });
  return posts;
}

const FILTERS = [
  "",
  "owner=u1",
  "owner=u2&type=call",
  "type=call",
  "type=call&type=meeting",
  "type=sms&status=canceled",
  "status=planned",
  "direction=inbound",
  "direction=inbound&owner=u1&status=completed",
  "connection=hubspot:acme-prod",
  "connection=salesforce:globex-eu&type=call",
  "connection=hubspot:acme-prod&deleted=only",
  "deleted=only",
  "deleted=include",
  "deleted=include&owner=u3",
  "q=pricing",
  "q=pricing renewal",
  "q=indemnity",
  "q=pricing&type=call",
  "q=budget&owner=u1&direction=outbound",
  "q=secur*&deleted=include",
  "contact=c1",
  "contact=c2&type=meeting",
  "contact=c3&owner=u1&status=completed",
  "company=m1&deleted=include",
  "company=m2&contact=c1",
  "from=2025-02-10&to=2025-02-20",
  "from=2025-02-10&to=2025-02-20&type=call",
  "from=2025-03-01",
  "from=2025-03-01&owner=u2&type=meeting&type=email",
  "to=2025-02-15&deleted=only",
  "from=2025-02-10&to=2025-03-05&tz=Asia/Tokyo",
  "tz=America/New_York&q=kickoff",
  "sort=-startedAt&status=completed&q=renewal",
];

/** The engine's tuning the comparison runs under: as shipped, and caps it is past. */
const TUNINGS: [string, Partial<SummaryTuning>][] = [
  ["as shipped", {}],
  ["cap 40, sample 25", { countCap: 40, facetSample: 25 }],
  ["cap 8, sample 15", { countCap: 8, facetSample: 15 }],
  ["no counters, cap 20, sample 10", { useCounters: false, countCap: 20, facetSample: 10 }],
];

/** Where the chart ends when a filter has no end: after every match, and inside them. */
const ANCHORS = [Date.UTC(2025, 3, 2), Date.UTC(2025, 1, 20)];

describe.runIf(testEngines().length === 2)("summaries on SQLite and PostgreSQL", () => {
  let engines: EngineStore[];
  const tuned: Store[] = [];

  beforeAll(async () => {
    engines = await Promise.all((["sqlite", "postgres"] as const).map(openEngineStore));
    // One order on both: ids are given in arrival order, and the sample's ties fall to them.
    for (const { body, connection } of corpus(seededRandom("summary parity"))) {
      for (const { store } of engines) {
        expect((await deliver(store, body, connection)).status).toBe(200);
      }
    }
  });
  afterAll(async () => {
    await Promise.all(tuned.map((store) => store.close()));
    await Promise.all(engines.map((e) => e.cleanup()));
  });

  /** Stores on both databases with `tuning`: SQLite on the same connection, PostgreSQL a pool. */
  function storesWith(tuning: Partial<SummaryTuning>): [Store, Store] {
    const [sqlite, pg] = engines;
    const db = (sqlite!.store as Store & { db: AppDatabase }).db;
    const onSqlite = createSqliteStore({ db, writer: "inline", summaries: "inline", tuning });
    const onPg = createPgStore({ url: pg!.location, poolSize: 4, tuning });
    tuned.push(onPg);
    return [onSqlite, onPg];
  }

  describe.each(TUNINGS)("%s", (_label, tuning) => {
    const seen = { capped: 0, sampled: 0, partial: 0, exactPastCap: 0, empty: 0 };
    let stores: [Store, Store];
    beforeAll(() => {
      stores = storesWith(tuning);
    });

    function note(summary: Summary, cap: number) {
      if (summary.count.capped) seen.capped++;
      if (summary.facets.sampled !== null) seen.sampled++;
      if (summary.activity.days.some((day) => day.partial)) seen.partial++;
      if (!summary.count.capped && summary.count.count > cap) seen.exactPastCap++;
      if (summary.count.count === 0) seen.empty++;
    }

    for (const params of FILTERS) {
      it(`"${params || "(no filter)"}": the same summary, count, facets and chart`, async () => {
        const filter = parseFilter(new URLSearchParams(params));
        const query = toEngagementQuery(filter);
        const ask = (fn: (store: Store) => Promise<unknown>) => Promise.all(stores.map(fn));
        for (const anchor of ANCHORS) {
          const chart = activityWindow(query, filter.tz, anchor);
          const [sqlite, pg] = await ask((s) => s.summarizeEngagements(query, chart));
          expect(pg, `summary at ${new Date(anchor).toISOString()}`).toEqual(sqlite);
          note(sqlite as Summary, tuning.countCap ?? 10_000);
          const [sqliteDays, pgDays] = await ask((s) => s.countActivity(query, chart));
          expect(pgDays, "activity").toEqual(sqliteDays);
          expect(sqliteDays).toEqual((sqlite as Summary).activity);
        }
        const [sqliteCount, pgCount] = await ask((s) => s.countEngagements(query));
        expect(pgCount, "count").toEqual(sqliteCount);
        const [sqliteFacets, pgFacets] = await ask((s) => s.countFacets(query));
        expect(pgFacets, "facets").toEqual(sqliteFacets);
      });
    }

    it("compared answers from every path: capped, sampled, partial, exact past the cap", () => {
      const { countCap = 10_000, useCounters = true } = tuning;
      expect(seen.empty).toBeLessThan(FILTERS.length / 4);
      if (countCap < 100) {
        expect(seen.capped).toBeGreaterThan(4);
        expect(seen.sampled).toBeGreaterThan(4);
        expect(seen.partial).toBeGreaterThan(2);
      }
      if (countCap < 100 && useCounters) expect(seen.exactPastCap).toBeGreaterThan(4);
    });
  });
});
