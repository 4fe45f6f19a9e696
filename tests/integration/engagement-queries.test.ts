import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getEngagementRoute } from "@/app/api/engagements/[id]/route";
import { GET as listRoute } from "@/app/api/engagements/route";
import { GET as recordsRoute } from "@/app/api/records/route";
import type { Store } from "@/db/store";
import { createPgStore } from "@/db/pg/store";
import { toTsQuery } from "@/db/pg/queries/engagements/text";
import type { AppDatabase } from "@/db/sqlite/client";
import type { ReadTuning } from "@/db/sqlite/queries/engagements/context";
import { toFtsQuery } from "@/db/sqlite/queries/engagements/text";
import { forgetStatements } from "@/db/sqlite/prepared";
import { createSqliteStore } from "@/db/sqlite/store";
import type {
  ActivityWindow,
  EngagementQuery,
  EngagementView,
  Facets,
  FacetValue,
} from "@/db/types";
import { loadEngagement } from "@/lib/engagements/load-engagement";
import { encodeEngagementCursor, parseFilter, type EngagementFilter } from "@/lib/filters";
import { deliver, type DeliverOptions } from "../helpers/deliver";
import { fixture } from "../helpers/morph";
import {
  engagementKey,
  expectedFacets,
  PostedEngagements,
  type ModelEngagement,
} from "../helpers/read-model";
import { activityWindow, toEngagementQuery } from "../helpers/read-queries";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";

const queryOf = (params: string) => toEngagementQuery(parseFilter(new URLSearchParams(params)));
/** The window the chart shows for a filter, ending at `anchorMs` when it has no end of its own. */
const chartOf = (filter: EngagementFilter, anchorMs: number) =>
  activityWindow(toEngagementQuery(filter), filter.tz, anchorMs);

const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });
const TYPES = ["call", "meeting", "email", "task", "note"];
const WORDS = ["pricing", "renewal", "security", "onboarding", "budget"];

function record(model: string, id: string, fields: Record<string, unknown>) {
  return {
    event: `${model}::created`,
    data: {
      object: "resource",
      model,
      id,
      fields,
      createdAt: "2025-01-01T00:00:00.000Z",
      updatedAt: "2025-01-01T00:00:00.000Z",
    },
  };
}

function generated(i: number) {
  const day = String(1 + (i % 28)).padStart(2, "0");
  // Days repeat every 28 and hours every 8: i and i + 56 share a startedAt, so keyset ties on
  // id are exercised.
  const hour = String((i % 8) * 3).padStart(2, "0");
  return {
    event: "crmEngagement::created",
    data: {
      object: "resource",
      model: "crmEngagement",
      id: `gen-${i}`,
      fields: {
        type: TYPES[i % 5],
        direction: i % 3 === 0 ? "inbound" : i % 3 === 1 ? "outbound" : undefined,
        status: ["planned", "completed", "canceled"][i % 3],
        title: `${WORDS[i % 5]} ${i % 7 === 0 ? "kickoff" : "check-in"}`,
        description: i % 11 === 0 ? "Café meeting about straße naming" : "Regular touchpoint",
        startedAt: `2025-02-${day}T${hour}:00:00.000Z`,
        duration: 60 * (i % 40),
        owner: ref("genericUser", i % 4 === 0 ? "502" : "501"),
        users: [ref("genericUser", "501")],
        contacts: [ref("genericContact", `c${i % 6}`), ref("genericContact", "9001")].slice(
          0,
          i % 2 ? 2 : 1,
        ),
        companies: [ref("genericCompany", i % 2 ? "7001" : "7002")],
        opportunities: i % 3 === 0 ? [ref("crmOpportunity", "4401")] : [],
      },
      createdAt: "2025-02-01T00:00:00.000Z",
      updatedAt: "2025-02-01T00:00:00.000Z",
    },
  };
}

const ACME = { connector: "hubspot", owner: "acme-prod" };
const GLOBEX = { connector: "hubspot", owner: "globex" };
/** A tenant whose engagements arrive in time order (ids follow startedAt, as live traffic does). */
const CHRONO = { connector: "pipedrive", owner: "chrono" };
const CHRONO_COUNT = 30;

/** The events every test here reads: records, 130 generated engagements, tombstones, three tenants. */
async function postCorpus(post: (body: unknown, connection?: DeliverOptions) => Promise<unknown>) {
  for (const name of [
    "user-created",
    "contact-created",
    "company-created",
    "opportunity-created",
    "engagement-call-created",
    "engagement-meeting-updated",
    "engagement-email-expanded-refs",
  ]) {
    await post(fixture(name));
  }
  await post(
    record("genericUser", "502", {
      firstName: "Lee",
      lastName: "Okafor",
      email: "lee@seller.example",
    }),
  );
  for (let i = 0; i < 6; i++) {
    await post(
      record("genericContact", `c${i}`, {
        firstName: `Ana${i}`,
        lastName: "Berg",
        email: `ana${i}@x.example`,
      }),
    );
  }
  for (let i = 0; i < 130; i++) await post(generated(i));
  // A deleted one among the generated.
  await post({
    event: "crmEngagement::deleted",
    data: {
      object: "resource",
      model: "crmEngagement",
      id: "gen-5",
      updatedAt: "2025-06-01T00:00:00.000Z",
    },
  });
  await post(fixture("engagement-deleted"));
  // Another tenant with the same ids and a different name: must never mix.
  await post(record("genericContact", "9001", { firstName: "Globex", lastName: "Person" }), GLOBEX);
  await post(fixture("engagement-call-created"), GLOBEX);
  for (let i = 0; i < CHRONO_COUNT; i++) {
    const event = generated(i);
    await post(
      {
        ...event,
        data: {
          ...event.data,
          id: `chrono-${i}`,
          fields: {
            ...event.data.fields,
            title: i % 3 ? `Chronological ${i}` : `Other ${i}`,
            startedAt: new Date(Date.UTC(2025, 4, 1) + i * 3_600_000).toISOString(),
          },
        },
      },
      CHRONO,
    );
  }
  await post(
    {
      ...generated(999),
      data: {
        ...generated(999).data,
        fields: { ...generated(999).data.fields, type: "sms", title: '=HYPERLINK("http://x")' },
      },
    },
    GLOBEX,
  );
}

/** Every page of a query, following each page's `next`; pages are full until the last. */
async function walk(from: Store, query: EngagementQuery) {
  const seen: EngagementView[] = [];
  let after = query.after;
  for (let guard = 0; guard < 100; guard++) {
    const page = await from.listEngagements({ ...query, after });
    seen.push(...page.data);
    if (!page.next) {
      expect(page.data.length).toBeLessThanOrEqual(query.limit);
      return seen;
    }
    expect(page.data.length).toBe(query.limit);
    after = page.next;
  }
  throw new Error("too many pages");
}

/** A stored engagement's values the filters read, as the model holds them. */
const asModelRow = (e: EngagementView) => ({
  key: engagementKey(e),
  type: e.type,
  direction: e.direction,
  status: e.status,
  title: e.title,
  description: e.description,
  startedAt: Date.parse(e.startedAt),
  ownerId: e.owner?.id ?? null,
  users: e.users.map((r) => r.id),
  contacts: e.contacts.map((r) => r.id),
  companies: e.companies.map((r) => r.id),
  opportunities: e.opportunities.map((r) => r.id),
  deleted: e.deletedAt !== null,
});
const modelRow = (e: ModelEngagement): ReturnType<typeof asModelRow> => ({
  key: e.key,
  type: e.type,
  direction: e.direction,
  status: e.status,
  title: e.title,
  description: e.description,
  startedAt: e.startedAt,
  ownerId: e.ownerId,
  users: e.users,
  contacts: e.contacts,
  companies: e.companies,
  opportunities: e.opportunities,
  deleted: e.deleted,
});

const FILTERS = [
  "",
  "owner=501",
  "owner=502",
  "contact=9001",
  "contact=c3",
  "company=7001",
  "opportunity=4401",
  "user=501",
  "user=502",
  "type=call",
  "type=call&type=email",
  "type=sms",
  "direction=inbound",
  "direction=inbound&direction=outbound",
  "status=completed",
  "status=planned&status=canceled",
  "from=2025-02-10&to=2025-02-12",
  "from=2025-03-06",
  "to=2025-02-01",
  "q=pricing",
  "q=kickoff pricing",
  "q=café",
  "connection=hubspot:globex",
  "connection=hubspot:acme-prod",
  "connection=pipedrive:chrono&q=chronological",
  "connection=pipedrive:chrono&q=chronological&sort=-startedAt",
  "q=chronological&owner=501",
  "deleted=only",
  "deleted=include",
  "owner=501&type=meeting&status=planned",
  "contact=9001&company=7001&from=2025-02-05&to=2025-02-20",
  "opportunity=4401&owner=502&direction=inbound",
  "contact=c1&q=security",
  "owner=501&q=renewal&deleted=include",
  "company=7002&type=task&type=note&sort=-startedAt",
  "user=501&connection=hubspot:acme-prod&deleted=only",
  "contact=9001&company=7001&opportunity=4401&user=501&owner=501",
];

/** SQLite's ways of answering a text filter (db/sqlite/queries/engagements/context.ts). */
const SQLITE_STRATEGIES = [
  ["rare-term strategy", { frequentTerm: 2000 }],
  ["frequent-term walk", { frequentTerm: 0, walkChunk: 4 }],
  ["frequent-term join", { frequentTerm: 0, walkFrequentTerms: false }],
] as const satisfies readonly (readonly [string, Partial<ReadTuning>])[];

/** Text a search box may get that means nothing to either engine's query syntax. */
const HOSTILE_TEXT = [
  '"',
  "*",
  "NEAR(",
  "-",
  "pricing -renewal",
  "OR AND NOT",
  "a:b",
  "^",
  "ñ",
  "🙂",
  "'; drop table engagements; --",
  "(((",
  "\u0000",
  // tsquery's own syntax, as plain text.
  "'",
  "\\",
  "& | ! ( ) <-> <2> :* :A",
  "pricing & renewal",
  "pricing|renewal",
  "!pricing",
  "pricing:*",
  "pricing:A",
  "pricing <-> kickoff",
  "pricing<->kickoff",
  "'pricing':*",
  "a' | 'b",
  "x'); select pg_sleep(1); --",
  "\\'pricing",
  "kickoff\\",
  "(pricing",
  "pricing\u0000kickoff",
  "security\u0000",
];

describe("search queries built from user text", () => {
  it("quote every token for FTS5 (SQLite)", () => {
    expect(toFtsQuery('pricing "NEAR( -x OR * a*')).toBe('"pricing" "NEAR(" "-x" "OR" "a"*');
    expect(toFtsQuery('" * - ( )')).toBeNull();
  });

  it("quote every word for to_tsquery (PostgreSQL), a token with punctuation also whole", () => {
    expect(toTsQuery('pricing "NEAR( -x OR * a*')).toBe(
      "'pricing' & ('NEAR' | 'NEAR(') & ('x' | '-x') & 'OR' & 'a':*",
    );
    expect(toTsQuery("check-in secur*")).toBe("('check' <-> 'in' | 'check-in') & 'secur':*");
    expect(toTsQuery("it's a\\b")).toBe("('it' <-> 's' | 'it''s') & ('a' <-> 'b' | 'a\\\\b')");
    expect(toTsQuery("a\u0000b")).toBe("('a' <-> 'b' | 'a b')");
    expect(toTsQuery('" * - ( ) & | ! <->')).toBeNull();
    expect(toTsQuery(null)).toBeNull();
  });
});

describe.each(testEngines())("engagement reads on %s", (engine) => {
  let opened: EngineStore;
  let store: Store;
  /** Every event this file sends, as the oracle knows it: the expectations come from here. */
  const posted = new PostedEngagements();

  async function post(body: unknown, connection: DeliverOptions = ACME) {
    const result = await deliver(store, body, connection);
    expect(result.status).toBe(200);
    posted.post(body, connection);
    return result;
  }

  beforeAll(async () => {
    opened = await setUpAppStore(engine, { APP_ALLOW_PUBLIC: "1" });
    store = opened.store;
    await postCorpus(post);
  });
  /** PostgreSQL stores with other tuning, each with a pool of its own to close. */
  const tunedPools: Store[] = [];
  afterAll(async () => {
    await Promise.all(tunedPools.map((tuned) => tuned.close()));
    await opened?.cleanup();
  });

  const sqliteDb = () => (store as Store & { db: AppDatabase }).db;
  /**
   * Another store on the same database with other tuning: on SQLite on the same connection
   * (never closed: it shares it), on PostgreSQL a pool of its own (only the summary's numbers
   * are PostgreSQL's tuning).
   */
  function tunedStore(tuning: Partial<ReadTuning>): Store {
    if (engine === "sqlite") {
      return createSqliteStore({ db: sqliteDb(), writer: "inline", summaries: "inline", tuning });
    }
    const tuned = createPgStore({ url: opened.location, poolSize: 2, tuning });
    tunedPools.push(tuned);
    return tuned;
  }
  // PostgreSQL has one way to answer each filter: its planner's.
  const STRATEGIES: (readonly [string, Partial<ReadTuning> | null])[] =
    engine === "sqlite" ? [...SQLITE_STRATEGIES] : [["planner's choice", null]];

  /**
   * What the oracle expects for a filter: every match among the engagements posted above, in the
   * order the URL's `sort` asks for (newest first unless `-startedAt`), ties broken by arrival.
   */
  function expectedFor(filter: EngagementFilter): ModelEngagement[] {
    const query = toEngagementQuery(filter);
    return posted.matching({ ...query, after: null, newestFirst: filter.sort !== "-startedAt" });
  }

  describe("the read oracle", () => {
    it("holds every engagement posted, as the store lists them", async () => {
      const model = posted.all();
      expect(model.length).toBe(130 + 3 + 2 + CHRONO_COUNT);
      const listed = await walk(store, queryOf("deleted=include&limit=200"));
      // The store numbers engagements in the order they first arrived.
      const byId = [...listed].sort((a, b) => Number(a.id) - Number(b.id));
      expect(byId.map(asModelRow)).toEqual(model.map(modelRow));
    });
  });

  describe.each(STRATEGIES)("listEngagements (%s)", (_label, tuning) => {
    let tuned: Store;
    beforeAll(() => {
      tuned = tuning ? tunedStore(tuning) : store;
    });

    it("has the data the filters are tested against", async () => {
      expect((await walk(tuned, queryOf("deleted=include&limit=200"))).length).toBe(
        130 + 3 + 2 + CHRONO_COUNT,
      );
    });

    for (const query of FILTERS) {
      it(`matches the oracle for "${query || "(no filter)"}", across pages of 7, and its count`, async () => {
        const filter = parseFilter(new URLSearchParams(`${query}&limit=7`));
        const expected = expectedFor(filter);
        const q = toEngagementQuery(filter);
        const got = await walk(tuned, q);
        // Same rows, same order: no duplicates, no gaps across page boundaries.
        expect(got.map(engagementKey)).toEqual(expected.map((e) => e.key));
        expect((await tuned.countEngagements(q)).count).toBe(expected.length);
        const facets = await tuned.countFacets(q);
        if (filter.type.length === 0) {
          expect(facets.type.reduce((n, f) => n + f.count, 0)).toBe(expected.length);
        }
        for (const value of filter.type) {
          expect(facets.type.find((f) => f.value === value)?.count ?? 0).toBe(
            expected.filter((e) => e.type === value).length,
          );
        }
        if (filter.status.length === 0) {
          expect(facets.status.reduce((n, f) => n + f.count, 0)).toBe(expected.length);
        }
      });
    }

    it("finds non-empty results for the filters that should have some", async () => {
      for (const query of [
        "owner=501",
        "contact=9001",
        "company=7001",
        "opportunity=4401",
        "q=pricing",
        "deleted=only",
        "type=sms",
      ]) {
        expect((await tuned.countEngagements(queryOf(query))).count, query).toBeGreaterThan(0);
      }
    });

    it("deleted engagements are hidden by default, and shown marked when asked", async () => {
      const hidden = await walk(tuned, queryOf("limit=200"));
      expect(hidden.some((e) => e.externalId === "gen-5")).toBe(false);
      const only = await walk(tuned, queryOf("deleted=only"));
      expect(only.map((e) => e.externalId).sort()).toEqual(["30112", "gen-5"]);
      expect(only.every((e) => e.deletedAt !== null)).toBe(true);
    });

    it("keeps tenants apart", async () => {
      const globex = await walk(tuned, queryOf("connection=hubspot:globex"));
      expect(globex.map((e) => e.externalId).sort()).toEqual(["30112", "gen-999"]);
      const call = globex.find((e) => e.externalId === "30112")!;
      // Its contact 9001 resolves to Globex's own record, not Acme's Marco.
      expect(call.contacts.find((c) => c.id === "9001")).toMatchObject({
        resolved: true,
        name: "Globex Person",
      });
      expect(call.owner).toMatchObject({ id: "501", resolved: false, name: null });
    });

    it("ignores a cursor that does not decode, and pages the same way with limit 1", async () => {
      const first = await tuned.listEngagements(queryOf("cursor=garbage&limit=3"));
      expect(first.data.length).toBe(3);
      const ones = await walk(tuned, queryOf("owner=502&limit=1"));
      expect(new Set(ones.map((e) => e.id)).size).toBe(ones.length);
      expect(ones.length).toBe((await tuned.countEngagements(queryOf("owner=502"))).count);
    });

    it("a cursor past the end gives an empty last page", async () => {
      const query = queryOf(`cursor=${encodeEngagementCursor({ startedAt: 0, id: 0 })}`);
      expect(await tuned.listEngagements(query)).toEqual({ data: [], next: null });
    });
  });

  describe("full-text search", () => {
    for (const q of HOSTILE_TEXT) {
      it(`is harmless for ${JSON.stringify(q)}`, async () => {
        const filter = parseFilter(new URLSearchParams({ q }));
        const query = toEngagementQuery(filter);
        const expected = expectedFor(filter);
        // Plain words, whatever the punctuation around them: the same rows, never an error.
        const page = await store.listEngagements({ ...query, limit: 200 });
        expect(page.data.map(engagementKey)).toEqual(expected.map((e) => e.key));
        expect((await store.countEngagements(query)).count).toBe(expected.length);
        const summary = await store.summarizeEngagements(query, chartOf(filter, Date.now()));
        expect(summary.count.count).toBe(expected.length);
      });
    }

    it("matches words regardless of case, with prefix on request", async () => {
      const count = async (params: string) => (await store.countEngagements(queryOf(params))).count;
      expect(await count("q=café")).toBeGreaterThan(0);
      expect(await count("q=CAFÉ")).toBe(await count("q=café"));
      expect(await count("q=STRASSE")).toBe(0);
      expect(await count("q=STRAßE")).toBe(await count("q=straße"));
      expect(await count("q=secur*")).toBeGreaterThan(0);
      expect(await count("q=secur")).toBe(0);
    });

    // docs/api.md, under `q`: SQLite's unicode61 folds accents, PostgreSQL's 'simple' keeps them.
    it(
      engine === "sqlite"
        ? "folds accents: cafe finds café"
        : "keeps accents: cafe does not find café (docs/api.md)",
      async () => {
        const count = async (q: string) => (await store.countEngagements(queryOf(`q=${q}`))).count;
        const cafe = expectedFor(parseFilter(new URLSearchParams("q=café"))).length;
        expect(cafe).toBeGreaterThan(10);
        expect(await count("café")).toBe(cafe);
        expect(await count("CAFE")).toBe(engine === "sqlite" ? cafe : 0);
        expect(await count("caf*")).toBe(cafe);
      },
    );
  });

  describe("references", () => {
    it("resolves owner, users, contacts, companies and opportunities with their fields", async () => {
      const call = (await walk(store, queryOf("deleted=only"))).find(
        (e) => e.externalId === "30112",
      )!;
      expect(call.owner).toMatchObject({
        model: "genericUser",
        id: "501",
        resolved: true,
        name: "Dana Whitfield",
        email: "dana@seller.example",
      });
      expect(call.contacts).toEqual([
        expect.objectContaining({
          id: "9001",
          resolved: true,
          name: "Marco Ibáñez",
          phone: "+34 600 000 001",
        }),
        { model: "genericContact", id: "9002", resolved: false, name: null },
      ]);
      expect(call.companies[0]).toMatchObject({ name: "Acme Logistics", resolved: true });
      expect(call.opportunities[0]).toMatchObject({
        name: "Acme — Enterprise renewal",
        amount: 48000,
        currency: "EUR",
      });
    });

    it("resolves a contact that arrived expanded inside the engagement", async () => {
      const [email] = await walk(store, queryOf("type=email&q=procurement"));
      expect(email!.contacts[0]).toMatchObject({
        id: "9004",
        resolved: true,
        name: "Priya Natarajan",
        email: "priya@northwind.example",
      });
      expect(email!.companies[0]).toMatchObject({ id: "7002", resolved: false, name: null });
    });

    it("getEngagement returns every field, the raw snapshot and the deliveries in order", async () => {
      const call = (await walk(store, queryOf("deleted=only&connection=hubspot:acme-prod"))).find(
        (e) => e.externalId === "30112",
      )!;
      const detail = (await store.getEngagement(Number(call.id)))!;
      expect(detail.fields.title).toBe("Pricing follow-up");
      expect(detail.deliveries.map((d) => d.event)).toEqual([
        "crmEngagement::created",
        "crmEngagement::deleted",
      ]);
      expect(detail.deliveries.every((d) => d.outcome === "applied")).toBe(true);
      expect(await store.getEngagement(999999)).toBeNull();
      expect(await loadEngagement("abc")).toBeNull();
    });
  });

  describe("facets and chart", () => {
    it("facet counts leave their own dimension out and agree with counts", async () => {
      const facets = await store.countFacets(queryOf("type=call&owner=501"));
      const email = facets.type.find((f) => f.value === "email")!.count;
      expect(email).toBe((await store.countEngagements(queryOf("type=email&owner=501"))).count);
      const owners = facets.owner;
      expect(owners.find((o) => o.value === "502")).toMatchObject({
        name: "Lee Okafor",
        count: (await store.countEngagements(queryOf("type=call&owner=502"))).count,
      });
    });

    it("activity per day sums to the count for the days it covers", async () => {
      const filter = parseFilter(new URLSearchParams("from=2025-02-01&to=2025-02-28&owner=501"));
      const query = toEngagementQuery(filter);
      const { days, capped } = await store.countActivity(
        query,
        chartOf(filter, Date.parse("2025-02-28T00:00:00Z")),
      );
      expect(capped).toBe(false);
      expect(days.length).toBe(28);
      expect(days[0]!.day).toBe("2025-02-01");
      expect(days.reduce((n, d) => n + d.count, 0)).toBe(
        (await store.countEngagements(query)).count,
      );
    });
  });

  describe("records", () => {
    it("searches by name, last name or email prefix, case-insensitively", async () => {
      const search = (model: "genericUser" | "genericContact", q: string) =>
        store.searchRecords(model, q, null);
      expect((await search("genericUser", "da")).map((r) => r.id)).toEqual(["501"]);
      expect((await search("genericUser", "okaf")).map((r) => r.id)).toEqual(["502"]);
      expect((await search("genericContact", "priya@")).map((r) => r.name)).toEqual([
        "Priya Natarajan",
      ]);
      expect((await search("genericContact", "%")).length).toBe(0);
      expect((await search("genericContact", "")).length).toBeLessThanOrEqual(20);
    });

    it("reads one record within its connection and lists the connections of an id", async () => {
      const acme = { connectorId: "hubspot", connectionOwnerId: "acme-prod" };
      expect((await store.getRecord("genericContact", acme, "9001"))?.name).toBe("Marco Ibáñez");
      expect(
        (await store.getRecord("genericContact", { ...acme, connectionOwnerId: "globex" }, "9001"))
          ?.name,
      ).toBe("Globex Person");
      expect(
        (await store.connectionsOf("genericContact", "contact", "9001")).map(
          (c) => c.connectionOwnerId,
        ),
      ).toEqual(["acme-prod", "globex", "chrono"]);
      // Known only as a reference: still has a connection (and a timeline).
      expect(await store.connectionsOf("genericContact", "contact", "9002")).toEqual([
        acme,
        { ...acme, connectionOwnerId: "globex" },
      ]);
      expect(await store.connectionsOf("genericUser", "user", "502")).toEqual([
        acme,
        { connectorId: "pipedrive", connectionOwnerId: "chrono" },
      ]);
    });
  });
  describe("API route handlers", () => {
    it("GET /api/engagements returns the contract's shape", async () => {
      const res = await listRoute(
        new Request("http://localhost/api/engagements?owner=501&type=call&limit=2"),
      );
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(Object.keys(body).sort()).toEqual(["data", "nextCursor"]);
      expect(body.data).toHaveLength(2);
      expect(typeof body.nextCursor).toBe("string");
      for (const key of [
        "id",
        "externalId",
        "connectorId",
        "connectionOwnerId",
        "type",
        "direction",
        "status",
        "title",
        "description",
        "startedAt",
        "endedAt",
        "duration",
        "createdAt",
        "updatedAt",
        "deletedAt",
        "owner",
        "users",
        "contacts",
        "companies",
        "opportunities",
        "warnings",
      ]) {
        expect(body.data[0]).toHaveProperty(key);
      }
      const next = await listRoute(
        new Request(
          `http://localhost/api/engagements?owner=501&type=call&limit=2&cursor=${body.nextCursor}`,
        ),
      );
      const page2 = await next.json();
      expect(page2.data[0].id).not.toBe(body.data[0].id);
    });

    it("a bad parameter falls back instead of failing", async () => {
      const res = await listRoute(
        new Request("http://localhost/api/engagements?limit=lots&deleted=perhaps&from=never"),
      );
      expect(res.status).toBe(200);
      expect((await res.json()).data).toHaveLength(50);
    });

    it("format=csv has names and ids and neutralises formulas", async () => {
      const res = await listRoute(
        new Request(
          "http://localhost/api/engagements?connection=hubspot:globex&deleted=include&format=csv",
        ),
      );
      expect(res.headers.get("content-type")).toContain("text/csv");
      const parsed = Papa.parse<Record<string, string>>(await res.text(), { header: true });
      const rows = parsed.data.filter((r) => r.id);
      expect(rows).toHaveLength(2);
      const evil = rows.find((r) => r.externalId === "gen-999")!;
      expect(evil.title).toBe('\'=HYPERLINK("http://x")');
      const call = rows.find((r) => r.externalId === "30112")!;
      expect(call.contactIds).toBe("9001; 9002");
      expect(call.contactNames).toBe("Globex Person; ");
    });

    it("GET /api/engagements/<id> returns one with deliveries; unknown is a JSON 404", async () => {
      const id = (await store.listEngagements(queryOf("limit=1"))).data[0]!.id;
      const res = await getEngagementRoute(new Request(`http://localhost/api/engagements/${id}`), {
        params: Promise.resolve({ id }),
      });
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(body.id).toBe(id);
      expect(body.deliveries.length).toBeGreaterThan(0);
      const missing = await getEngagementRoute(
        new Request("http://localhost/api/engagements/nope"),
        {
          params: Promise.resolve({ id: "nope" }),
        },
      );
      expect(missing.status).toBe(404);
      expect((await missing.json()).error.code).toBe("not_found");
    });

    it("GET /api/records suggests by name and refuses an unknown model", async () => {
      const res = await recordsRoute(
        new Request("http://localhost/api/records?model=genericUser&q=da"),
      );
      expect((await res.json()).data).toEqual([
        {
          model: "genericUser",
          id: "501",
          name: "Dana Whitfield",
          email: "dana@seller.example",
          connection: "hubspot:acme-prod",
        },
      ]);
      const bad = await recordsRoute(
        new Request("http://localhost/api/records?model=crmEngagement"),
      );
      expect(bad.status).toBe(400);
    });
  });

  // SQLite's own plans; PostgreSQL's are held in tests/integration/pg-engagement-plans.test.ts.
  describe.runIf(engine === "sqlite")(
    "query plans (what keeps pages fast at a million rows)",
    () => {
      /** The exact path: what answers a date, text or record filter. */
      let exact: Store;
      beforeAll(() => {
        exact = tunedStore({ useCounters: false });
      });

      /** The SQL of every statement a call prepares, with the plan SQLite picks for it. */
      async function plansOf(run: () => Promise<unknown>) {
        const db = sqliteDb();
        const client = db.$client;
        const original = client.prepare.bind(client);
        const seen: string[] = [];
        // Read statements are prepared once per connection: start from none so each is seen.
        forgetStatements(db);
        client.prepare = ((source: string) => {
          seen.push(source);
          return original(source);
        }) as typeof client.prepare;
        try {
          await run();
        } finally {
          client.prepare = original;
        }
        return seen
          .filter((source) => /^select/i.test(source.trim()))
          .map((source) => ({
            source,
            // The plan does not depend on the values: bind NULL for every placeholder.
            plan: (
              original(`explain query plan ${source}`).all(
                ...Array.from(source.match(/\?/g) ?? [], () => null),
              ) as { detail: string }[]
            ).map((row) => row.detail),
          }));
      }

      const pagePlan = async (query: string) => {
        const plans = await plansOf(() => store.listEngagements(queryOf(query)));
        const page = plans.find((p) => /^select e\.id, e\.connector_id/.test(p.source.trim()));
        expect(page, query).toBeDefined();
        return page!.plan.join("\n");
      };

      for (const [query, index] of [
        ["", "engagements_started"],
        ["owner=501", "engagements_owner_started"],
        ["type=call", "engagements_started"],
        ["connection=hubspot:globex", "engagements_started"],
        ["deleted=only", "engagements_deleted_started"],
        ["contact=9001", "engagement_refs_lookup"],
        ["company=7001&type=call&owner=501", "engagement_refs_lookup"],
        ["from=2025-02-01&to=2025-02-10", "engagements_started"],
      ] as const) {
        it(`a page for "${query || "(no filter)"}" walks ${index} in date order, no sort`, async () => {
          const plan = await pagePlan(query);
          expect(plan).toContain(index);
          expect(plan).not.toContain("TEMP B-TREE FOR ORDER BY");
        });
      }

      it("an exact-path count walks its filter's own index, not the table", async () => {
        const plans = await plansOf(() => exact.countEngagements(queryOf("owner=501")));
        const text = plans.map((p) => p.plan.join(" ")).join("\n");
        expect(text).toContain("engagements_owner_started");
        expect(text).not.toMatch(/\bSCAN e\b/);
      });

      for (const query of [
        "owner=501&type=call&from=2025-02-05",
        "from=2025-02-01&to=2025-02-10&status=planned",
        "connection=hubspot:acme-prod&direction=inbound&to=2025-02-20",
      ]) {
        it(`the count and facets of "${query}" read covering indexes only, no row`, async () => {
          const plans = await plansOf(async () => {
            await exact.countEngagements(queryOf(query));
            await exact.countFacets(queryOf(query));
          });
          const walks = plans.filter((p) => /\bengagements e\b/.test(p.source));
          expect(walks.length).toBeGreaterThanOrEqual(2);
          for (const p of walks) {
            const plan = p.plan.join("\n");
            expect(plan).toMatch(/COVERING INDEX engagements_(owner_)?started/);
            expect(plan).not.toContain("TEMP B-TREE FOR ORDER BY");
          }
        });
      }

      it("a count over a referenced record reads engagement_refs and the tombstones' index, no row", async () => {
        const plans = await plansOf(() => exact.countEngagements(queryOf("user=501")));
        const text = plans.map((p) => p.plan.join(" ")).join("\n");
        expect(text).toContain("engagement_refs_lookup");
        expect(text).toContain("engagements_deleted_started");
        expect(text).not.toMatch(/INTEGER PRIMARY KEY/);
      });

      it("exact-path facets walk the list's own index in date order, not the table", async () => {
        const plans = await plansOf(() => exact.countFacets(queryOf("user=501")));
        const text = plans.map((p) => p.plan.join(" ")).join("\n");
        expect(text).toContain("engagement_refs_lookup");
        expect(text).not.toContain("TEMP B-TREE FOR ORDER BY");
        expect(text).not.toMatch(/\bSCAN e\b/);
      });

      it("counts and facets over connection, owner, type, status, direction and deleted read engagement_counts only", async () => {
        const query = queryOf("owner=501&type=call&status=completed&connection=hubspot:acme-prod");
        const plans = await plansOf(async () => {
          await store.countEngagements(query);
          await store.countFacets(query);
        });
        const counted = plans.filter((p) => p.source.includes("engagement"));
        expect(counted.length).toBeGreaterThanOrEqual(2);
        for (const p of counted) {
          expect(p.source).toContain("engagement_counts");
          expect(p.source).not.toMatch(/\bengagements\b/);
        }
      });
    },
  );

  const dayOf = (e: ModelEngagement) => new Date(e.startedAt).toISOString().slice(0, 10);

  describe("activity chart days", () => {
    it("counts days in the filter's time zone when it names one", async () => {
      // 23:00 UTC on 28 Feb is already 1 March in Tokyo.
      const late = expectedFor(
        parseFilter(new URLSearchParams("from=2025-02-28T15:00:00Z&to=2025-02-28T23:59:59.999Z")),
      ).length;
      const filter = parseFilter(
        new URLSearchParams("from=2025-03-01&to=2025-03-01&tz=Asia/Tokyo"),
      );
      const tokyo = await store.countActivity(
        toEngagementQuery(filter),
        chartOf(filter, Date.parse("2025-03-01T00:00:00Z")),
      );
      expect(tokyo).toEqual({
        days: [{ day: "2025-03-01", count: late }],
        capped: false,
        sampled: null,
      });
      expect(late).toBeGreaterThan(0);
    });
  });

  /** Every match of a filter, newest first: the order the list shows and the cap keeps. */
  const newest = (f: EngagementFilter) => expectedFor({ ...f, sort: "startedAt" });
  const KEYS = ["type", "status", "direction", "owner"] as const;
  const valueOf = (e: ModelEngagement, key: (typeof KEYS)[number]) =>
    key === "owner" ? e.ownerId : e[key];

  /** The filter without its four facet dimensions: the set facets and the chart walk. */
  const broad = (f: EngagementFilter): EngagementFilter => ({
    ...f,
    owner: null,
    type: [],
    status: [],
    direction: [],
  });
  const passes = (f: EngagementFilter, e: ModelEngagement, key: (typeof KEYS)[number]) =>
    key === "owner"
      ? f.owner === null || valueOf(e, key) === f.owner
      : f[key].length === 0 || f[key].includes(valueOf(e, key)!);

  const expectedFacetsOf = (f: EngagementFilter, sample?: number) =>
    expectedFacets(posted, toEngagementQuery(f), sample);

  const stripNames = (facets: Facets) => {
    const strip = (values: FacetValue[]) => values.map(({ value, count }) => ({ value, count }));
    return {
      type: strip(facets.type),
      status: strip(facets.status),
      direction: strip(facets.direction),
      owner: strip(facets.owner),
      capped: facets.capped,
      sampled: facets.sampled,
    };
  };

  /** The chart's days for a filter, counted from the oracle: every match in the window, by day. */
  function expectedDays(filter: EngagementFilter, chart: ActivityWindow) {
    const tally = new Map<number, number>();
    for (const e of newest(filter)) {
      if (e.startedAt < chart.fromMs || e.startedAt > chart.toMs) continue;
      const day = Math.floor((e.startedAt + chart.offsetMs) / 86_400_000);
      tally.set(day, (tally.get(day) ?? 0) + 1);
    }
    return Array.from({ length: chart.endDay - chart.startDay + 1 }, (_, i) => ({
      day: new Date((chart.startDay + i) * 86_400_000).toISOString().slice(0, 10),
      count: tally.get(chart.startDay + i) ?? 0,
    }));
  }

  describe("summaries, counted exactly at this size on either engine", () => {
    for (const query of FILTERS) {
      it(`for "${query || "(no filter)"}": count, facets and chart days are the oracle's`, async () => {
        const filter = parseFilter(new URLSearchParams(query));
        const q = toEngagementQuery(filter);
        for (const anchor of ["2025-02-28T00:00:00Z", "2025-06-10T00:00:00Z"].map(Date.parse)) {
          const chart = chartOf(filter, anchor);
          const summary = await store.summarizeEngagements(q, chart);
          expect(summary.count).toEqual({ count: newest(filter).length, capped: false });
          expect(stripNames(summary.facets)).toEqual(expectedFacetsOf(filter));
          expect(summary.activity).toEqual({
            days: expectedDays(filter, chart),
            capped: false,
            sampled: null,
          });
          expect(summary).toEqual({
            count: await store.countEngagements(q),
            facets: await store.countFacets(q),
            activity: await store.countActivity(q, chart),
          });
        }
      });
    }
  });

  // Caps and samples are the summary's tuning (db/read-tuning.ts), the same on both engines.
  /** Counts stop at CAP; facets and the chart count the newest SAMPLE (at most, at least CAP). */
  describe.each(
    (engine === "sqlite" ? SQLITE_STRATEGIES : [["planner's choice", {}] as const]).flatMap(
      ([label, tuning]) => [
        [`${label}, cap 7, sample 7`, tuning, 7, 7] as const,
        [`${label}, cap 9, sample 5`, tuning, 9, 5] as const,
      ],
    ),
  )("past the cap (%s)", (_label, tuning, CAP, SAMPLE) => {
    let capped: Store;
    let counters: Store;
    beforeAll(() => {
      const tuned = { ...tuning, countCap: CAP, facetSample: SAMPLE };
      capped = tunedStore({ ...tuned, useCounters: false });
      counters = tunedStore({ ...tuned, useCounters: true });
    });

    for (const query of FILTERS) {
      it(`counts for "${query || "(no filter)"}" stop at ${CAP}, facets cover the newest ${SAMPLE} matches of the broad filter`, async () => {
        const filter = parseFilter(new URLSearchParams(query));
        const q = toEngagementQuery(filter);
        const matches = newest(filter).length;
        expect(await capped.countEngagements(q)).toEqual({
          count: Math.min(matches, CAP),
          capped: matches > CAP,
        });
        expect(stripNames(await capped.countFacets(q))).toEqual(expectedFacetsOf(filter, SAMPLE));
      });
    }

    for (const query of FILTERS) {
      it(`summarize for "${query || "(no filter)"}" answers what count, facets and chart do`, async () => {
        const filter = parseFilter(new URLSearchParams(query));
        const q = toEngagementQuery(filter);
        for (const anchor of ["2025-02-28T00:00:00Z", "2025-01-10T00:00:00Z"].map(Date.parse)) {
          const chart = chartOf(filter, anchor);
          expect(await capped.summarizeEngagements(q, chart)).toEqual({
            count: await capped.countEngagements(q),
            facets: await capped.countFacets(q),
            activity: await capped.countActivity(q, chart),
          });
        }
      });
    }

    it("has filters on both sides of the cap", () => {
      const sizes = FILTERS.map((q) => newest(parseFilter(new URLSearchParams(q))).length);
      expect(sizes.some((n) => n > CAP)).toBe(true);
      expect(sizes.some((n) => n > 0 && n <= CAP)).toBe(true);
    });

    it("counts exactly, never capped, where the counters answer", async () => {
      const filter = parseFilter(new URLSearchParams("owner=501&type=call"));
      const matches = newest(filter).length;
      expect(matches).toBeGreaterThan(CAP);
      const q = toEngagementQuery(filter);
      expect(await counters.countEngagements(q)).toEqual({ count: matches, capped: false });
      expect((await counters.countFacets(q)).capped).toBe(false);
    });

    for (const query of [
      "",
      "owner=502",
      "user=501",
      "contact=c3",
      "q=pricing",
      "deleted=include",
    ]) {
      it(`the chart for "${query || "(no filter)"}" counts its matches among the newest ${SAMPLE} of the broad filter and marks older days partial`, async () => {
        const filter = parseFilter(new URLSearchParams(`${query}&from=2025-02-01&to=2025-02-28`));
        // Exact when the filter itself has at most CAP matches, else what the broad walk read.
        const own = newest(filter).length <= CAP;
        const rows = own ? newest(filter) : newest(broad(filter));
        const partial = !own && rows.length > SAMPLE;
        const counted = own ? rows : rows.slice(0, SAMPLE);
        const tally = new Map<string, number>();
        for (const e of counted) {
          if (!KEYS.every((key) => passes(filter, e, key))) continue;
          tally.set(dayOf(e), (tally.get(dayOf(e)) ?? 0) + 1);
        }
        const oldest = partial ? dayOf(counted[counted.length - 1]!) : "";
        const activity = await capped.countActivity(
          toEngagementQuery(filter),
          chartOf(filter, Date.parse("2025-02-28T00:00:00Z")),
        );
        expect(activity.capped).toBe(partial);
        expect(activity.sampled).toBe(partial ? SAMPLE : null);
        expect(activity.days).toEqual(
          Array.from({ length: 28 }, (_, i) => {
            const day = `2025-02-${String(i + 1).padStart(2, "0")}`;
            return { day, count: tally.get(day) ?? 0, ...(day <= oldest ? { partial: true } : {}) };
          }),
        );
      });
    }
  });
});
