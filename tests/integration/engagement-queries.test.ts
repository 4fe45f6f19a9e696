import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getEngagementRoute } from "@/app/api/engagements/[id]/route";
import { GET as listRoute } from "@/app/api/engagements/route";
import { GET as recordsRoute } from "@/app/api/records/route";
import {
  activityPerDay,
  countEngagements,
  facetCounts,
  summarize,
  getEngagement,
  listEngagements,
  countTuning,
  searchTuning,
  toFtsQuery,
  type EngagementView,
} from "@/db/queries/engagements";
import { forgetStatements } from "@/db/queries/prepared";
import { connectionsOf, getRecord, searchRecords } from "@/db/queries/records";
import { guardCell } from "@/lib/engagements/csv";
import { dateRange, encodeCursor, parseFilter, type EngagementFilter } from "@/lib/filters";
import { deliver } from "../helpers/deliver";
import { fixture } from "../helpers/morph";
import { setUpAppDatabase } from "../helpers/temp-db";

const temp = setUpAppDatabase({ APP_ALLOW_PUBLIC: "1" });
const db = temp.db;
afterAll(() => temp.cleanup());

function post(body: unknown, connection = { connector: "hubspot", owner: "acme-prod" }) {
  const result = deliver(db, body, connection);
  expect(result.status).toBe(200);
  return result;
}

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
  const hour = String(i % 24).padStart(2, "0");
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
        // Several share a startedAt so keyset ties on id are exercised.
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

const GLOBEX = { connector: "hubspot", owner: "globex" };
/** A tenant whose engagements arrive in time order (ids follow startedAt, as live traffic does). */
const CHRONO = { connector: "pipedrive", owner: "chrono" };
const CHRONO_COUNT = 30;

beforeAll(() => {
  for (const name of [
    "user-created",
    "contact-created",
    "company-created",
    "opportunity-created",
    "engagement-call-created",
    "engagement-meeting-updated",
    "engagement-email-expanded-refs",
  ]) {
    post(fixture(name));
  }
  post(
    record("genericUser", "502", {
      firstName: "Lee",
      lastName: "Okafor",
      email: "lee@seller.example",
    }),
  );
  for (let i = 0; i < 6; i++) {
    post(
      record("genericContact", `c${i}`, {
        firstName: `Ana${i}`,
        lastName: "Berg",
        email: `ana${i}@x.example`,
      }),
    );
  }
  for (let i = 0; i < 130; i++) post(generated(i));
  // A deleted one among the generated.
  post({
    event: "crmEngagement::deleted",
    data: {
      object: "resource",
      model: "crmEngagement",
      id: "gen-5",
      updatedAt: "2025-06-01T00:00:00.000Z",
    },
  });
  post(fixture("engagement-deleted"));
  // Another tenant with the same ids and a different name: must never mix.
  post(record("genericContact", "9001", { firstName: "Globex", lastName: "Person" }), GLOBEX);
  post(fixture("engagement-call-created"), GLOBEX);
  for (let i = 0; i < CHRONO_COUNT; i++) {
    const event = generated(i);
    post(
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
  post(
    {
      ...generated(999),
      data: {
        ...generated(999).data,
        fields: { ...generated(999).data.fields, type: "sms", title: '=HYPERLINK("http://x")' },
      },
    },
    GLOBEX,
  );
});

/** Every page of a filter, following nextCursor. */
function walk(filter: EngagementFilter) {
  const seen: EngagementView[] = [];
  let cursor = filter.cursor;
  for (let guard = 0; guard < 100; guard++) {
    const page = listEngagements(db, { ...filter, cursor });
    seen.push(...page.data);
    if (!page.nextCursor) return seen;
    cursor = parseFilter(new URLSearchParams({ cursor: page.nextCursor })).cursor;
  }
  throw new Error("too many pages");
}

const everything = () => walk(parseFilter(new URLSearchParams("deleted=include&limit=200")));

/** The same filter in plain TypeScript over every row: what the SQL must agree with. */
function oracle(e: EngagementView, f: EngagementFilter) {
  const has = (refs: { id: string }[], id: string | null) =>
    id === null || refs.some((r) => r.id === id);
  const { fromMs, toMs } = dateRange(f);
  const t = Date.parse(e.startedAt);
  const text = `${e.title ?? ""} ${e.description ?? ""}`.toLowerCase();
  return (
    (f.owner === null || e.owner?.id === f.owner) &&
    has(e.contacts, f.contact) &&
    has(e.companies, f.company) &&
    has(e.opportunities, f.opportunity) &&
    has(e.users, f.user) &&
    (f.type.length === 0 || f.type.includes(e.type!)) &&
    (f.direction.length === 0 || f.direction.includes(e.direction!)) &&
    (f.status.length === 0 || f.status.includes(e.status!)) &&
    (fromMs === null || t >= fromMs) &&
    (toMs === null || t <= toMs) &&
    (f.q === null ||
      f.q
        .toLowerCase()
        .split(/\s+/)
        .every((w) => text.includes(w))) &&
    (f.connection === null ||
      (e.connectorId === f.connection.connectorId &&
        e.connectionOwnerId === f.connection.connectionOwnerId)) &&
    (f.deleted === "include" || (f.deleted === "only") === (e.deletedAt !== null))
  );
}

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

describe.each([
  ["rare-term strategy", { frequentTerm: 2000 }],
  ["frequent-term walk", { frequentTerm: 0, walkChunk: 4 }],
  ["frequent-term join", { frequentTerm: 0, walkFrequentTerms: false }],
])("listEngagements (%s)", (_label, tuning) => {
  const all = () => everything();
  const saved = { ...searchTuning };
  beforeAll(() => {
    Object.assign(searchTuning, tuning);
  });
  afterAll(() => {
    Object.assign(searchTuning, saved);
  });

  it("has the data the filters are tested against", () => {
    expect(all().length).toBe(130 + 3 + 2 + CHRONO_COUNT);
  });

  for (const query of FILTERS) {
    it(`matches the oracle for "${query || "(no filter)"}", across pages of 7, and its count`, () => {
      const filter = parseFilter(new URLSearchParams(`${query}&limit=7`));
      const expected = all()
        .filter((e) => oracle(e, filter))
        .sort(
          (a, b) =>
            Date.parse(b.startedAt) - Date.parse(a.startedAt) || Number(b.id) - Number(a.id),
        );
      if (filter.sort === "-startedAt") expected.reverse();
      const got = walk(filter);
      // Same rows, same order: no duplicates, no gaps across page boundaries.
      expect(got.map((e) => e.id)).toEqual(expected.map((e) => e.id));
      expect(countEngagements(db, filter).count).toBe(expected.length);
      const facets = facetCounts(db, filter);
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

  it("finds non-empty results for the filters that should have some", () => {
    for (const query of [
      "owner=501",
      "contact=9001",
      "company=7001",
      "opportunity=4401",
      "q=pricing",
      "deleted=only",
      "type=sms",
    ]) {
      expect(
        countEngagements(db, parseFilter(new URLSearchParams(query))).count,
        query,
      ).toBeGreaterThan(0);
    }
  });

  it("deleted engagements are hidden by default, and shown marked when asked", () => {
    const hidden = walk(parseFilter(new URLSearchParams("limit=200")));
    expect(hidden.some((e) => e.externalId === "gen-5")).toBe(false);
    const only = walk(parseFilter(new URLSearchParams("deleted=only")));
    expect(only.map((e) => e.externalId).sort()).toEqual(["30112", "gen-5"]);
    expect(only.every((e) => e.deletedAt !== null)).toBe(true);
  });

  it("keeps tenants apart", () => {
    const globex = walk(parseFilter(new URLSearchParams("connection=hubspot:globex")));
    expect(globex.map((e) => e.externalId).sort()).toEqual(["30112", "gen-999"]);
    const call = globex.find((e) => e.externalId === "30112")!;
    // Its contact 9001 resolves to Globex's own record, not Acme's Marco.
    expect(call.contacts.find((c) => c.id === "9001")).toMatchObject({
      resolved: true,
      name: "Globex Person",
    });
    expect(call.owner).toMatchObject({ id: "501", resolved: false, name: null });
  });

  it("ignores a cursor that does not decode, and pages the same way with limit 1", () => {
    const first = listEngagements(db, parseFilter(new URLSearchParams("cursor=garbage&limit=3")));
    expect(first.data.length).toBe(3);
    const ones = walk(parseFilter(new URLSearchParams("owner=502&limit=1")));
    expect(new Set(ones.map((e) => e.id)).size).toBe(ones.length);
    expect(ones.length).toBe(
      countEngagements(db, parseFilter(new URLSearchParams("owner=502"))).count,
    );
  });

  it("a cursor past the end gives an empty last page", () => {
    const filter = parseFilter(
      new URLSearchParams(`cursor=${encodeCursor({ startedAt: 0, id: 0 })}`),
    );
    expect(listEngagements(db, filter)).toEqual({ data: [], nextCursor: null });
  });
});

describe("full-text search", () => {
  it("turns hostile input into quoted tokens", () => {
    expect(toFtsQuery('pricing "NEAR( -x OR * a*')).toBe('"pricing" "NEAR(" "-x" "OR" "a"*');
    expect(toFtsQuery('" * - ( )')).toBeNull();
  });

  for (const q of [
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
  ]) {
    it(`is harmless for ${JSON.stringify(q)}`, () => {
      const filter = parseFilter(new URLSearchParams({ q }));
      expect(() => listEngagements(db, filter)).not.toThrow();
      expect(() => countEngagements(db, filter).count).not.toThrow();
      expect(() => facetCounts(db, filter)).not.toThrow();
    });
  }

  it("matches words regardless of accents and case, with prefix on request", () => {
    expect(countEngagements(db, parseFilter(new URLSearchParams("q=CAFE"))).count).toBe(
      countEngagements(db, parseFilter(new URLSearchParams("q=café"))).count,
    );
    expect(
      countEngagements(db, parseFilter(new URLSearchParams("q=secur*"))).count,
    ).toBeGreaterThan(0);
    expect(countEngagements(db, parseFilter(new URLSearchParams("q=secur"))).count).toBe(0);
  });
});

describe("references", () => {
  it("resolves owner, users, contacts, companies and opportunities with their fields", () => {
    const call = walk(parseFilter(new URLSearchParams("deleted=only"))).find(
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

  it("resolves a contact that arrived expanded inside the engagement", () => {
    const email = walk(parseFilter(new URLSearchParams("type=email&q=procurement")))[0];
    expect(email.contacts[0]).toMatchObject({
      id: "9004",
      resolved: true,
      name: "Priya Natarajan",
      email: "priya@northwind.example",
    });
    expect(email.companies[0]).toMatchObject({ id: "7002", resolved: false, name: null });
  });

  it("getEngagement returns every field, the raw snapshot and the deliveries in order", () => {
    const call = walk(
      parseFilter(new URLSearchParams("deleted=only&connection=hubspot:acme-prod")),
    ).find((e) => e.externalId === "30112")!;
    const detail = getEngagement(db, call.id)!;
    expect(detail.fields.title).toBe("Pricing follow-up");
    expect(detail.deliveries.map((d) => d.event)).toEqual([
      "crmEngagement::created",
      "crmEngagement::deleted",
    ]);
    expect(detail.deliveries.every((d) => d.outcome === "applied")).toBe(true);
    expect(getEngagement(db, "999999")).toBeNull();
    expect(getEngagement(db, "abc")).toBeNull();
  });
});

describe("facets and chart", () => {
  it("facet counts leave their own dimension out and agree with counts", () => {
    const filter = parseFilter(new URLSearchParams("type=call&owner=501"));
    const facets = facetCounts(db, filter);
    const email = facets.type.find((f) => f.value === "email")!.count;
    expect(email).toBe(
      countEngagements(db, parseFilter(new URLSearchParams("type=email&owner=501"))).count,
    );
    const owners = facets.owner;
    expect(owners.find((o) => o.value === "502")).toMatchObject({
      name: "Lee Okafor",
      count: countEngagements(db, parseFilter(new URLSearchParams("type=call&owner=502"))).count,
    });
  });

  it("activity per day sums to the count for the days it covers", () => {
    const filter = parseFilter(new URLSearchParams("from=2025-02-01&to=2025-02-28&owner=501"));
    const { days, capped } = activityPerDay(db, filter, Date.parse("2025-02-28T00:00:00Z"));
    expect(capped).toBe(false);
    expect(days.length).toBe(28);
    expect(days[0].day).toBe("2025-02-01");
    expect(days.reduce((n, d) => n + d.count, 0)).toBe(countEngagements(db, filter).count);
  });
});

describe("records", () => {
  it("searches by name, last name or email prefix, case-insensitively", () => {
    expect(searchRecords(db, "genericUser", "da").map((r) => r.id)).toEqual(["501"]);
    expect(searchRecords(db, "genericUser", "okaf").map((r) => r.id)).toEqual(["502"]);
    expect(searchRecords(db, "genericContact", "priya@").map((r) => r.name)).toEqual([
      "Priya Natarajan",
    ]);
    expect(searchRecords(db, "genericContact", "%").length).toBe(0);
    expect(searchRecords(db, "genericContact", "").length).toBeLessThanOrEqual(20);
  });

  it("reads one record within its connection and lists the connections of an id", () => {
    const acme = { connectorId: "hubspot", connectionOwnerId: "acme-prod" };
    expect(getRecord(db, "genericContact", acme, "9001")?.name).toBe("Marco Ibáñez");
    expect(
      getRecord(db, "genericContact", { ...acme, connectionOwnerId: "globex" }, "9001")?.name,
    ).toBe("Globex Person");
    expect(
      connectionsOf(db, "genericContact", "contact", "9001").map((c) => c.connectionOwnerId),
    ).toEqual(["acme-prod", "globex", "chrono"]);
    // Known only as a reference: still has a connection (and a timeline).
    expect(connectionsOf(db, "genericContact", "contact", "9002")).toEqual([
      acme,
      { ...acme, connectionOwnerId: "globex" },
    ]);
    expect(connectionsOf(db, "genericUser", "user", "502")).toEqual([
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
    expect(guardCell("+1 555")).toBe("'+1 555");
    expect(guardCell("@cmd")).toBe("'@cmd");
    expect(guardCell("-2")).toBe("'-2");
    expect(guardCell("plain")).toBe("plain");
    expect(guardCell(42)).toBe(42);
  });

  it("GET /api/engagements/<id> returns one with deliveries; unknown is a JSON 404", async () => {
    const id = listEngagements(db, parseFilter(new URLSearchParams("limit=1"))).data[0].id;
    const res = await getEngagementRoute(new Request(`http://localhost/api/engagements/${id}`), {
      params: Promise.resolve({ id }),
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.id).toBe(id);
    expect(body.deliveries.length).toBeGreaterThan(0);
    const missing = await getEngagementRoute(new Request("http://localhost/api/engagements/nope"), {
      params: Promise.resolve({ id: "nope" }),
    });
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
    const bad = await recordsRoute(new Request("http://localhost/api/records?model=crmEngagement"));
    expect(bad.status).toBe(400);
  });
});

describe("query plans (what keeps pages fast at a million rows)", () => {
  /** The SQL of every statement a call prepares, with the plan SQLite picks for it. */
  function plansOf(run: () => void) {
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
      run();
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

  const pagePlan = (query: string) => {
    const plans = plansOf(() => listEngagements(db, parseFilter(new URLSearchParams(query))));
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
    it(`a page for "${query || "(no filter)"}" walks ${index} in date order, no sort`, () => {
      const plan = pagePlan(query);
      expect(plan).toContain(index);
      expect(plan).not.toContain("TEMP B-TREE FOR ORDER BY");
    });
  }

  /** The plans of the exact path: what answers a date, text or record filter. */
  function rowPlansOf(run: () => void) {
    countTuning.useCounters = false;
    try {
      return plansOf(run);
    } finally {
      countTuning.useCounters = true;
    }
  }

  it("an exact-path count walks its filter's own index, not the table", () => {
    const plans = rowPlansOf(() =>
      countEngagements(db, parseFilter(new URLSearchParams("owner=501"))),
    );
    const text = plans.map((p) => p.plan.join(" ")).join("\n");
    expect(text).toContain("engagements_owner_started");
    expect(text).not.toMatch(/\bSCAN e\b/);
  });

  for (const query of [
    "owner=501&type=call&from=2025-02-05",
    "from=2025-02-01&to=2025-02-10&status=planned",
    "connection=hubspot:acme-prod&direction=inbound&to=2025-02-20",
  ]) {
    it(`the count and facets of "${query}" read covering indexes only, no row`, () => {
      const plans = rowPlansOf(() => {
        const filter = parseFilter(new URLSearchParams(query));
        countEngagements(db, filter);
        facetCounts(db, filter);
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

  it("a count over a referenced record reads engagement_refs and the tombstones' index, no row", () => {
    const plans = rowPlansOf(() =>
      countEngagements(db, parseFilter(new URLSearchParams("user=501"))),
    );
    const text = plans.map((p) => p.plan.join(" ")).join("\n");
    expect(text).toContain("engagement_refs_lookup");
    expect(text).toContain("engagements_deleted_started");
    expect(text).not.toMatch(/INTEGER PRIMARY KEY/);
  });

  it("exact-path facets walk the list's own index in date order, not the table", () => {
    const plans = rowPlansOf(() => facetCounts(db, parseFilter(new URLSearchParams("user=501"))));
    const text = plans.map((p) => p.plan.join(" ")).join("\n");
    expect(text).toContain("engagement_refs_lookup");
    expect(text).not.toContain("TEMP B-TREE FOR ORDER BY");
    expect(text).not.toMatch(/\bSCAN e\b/);
  });

  it("counts and facets over connection, owner, type, status, direction and deleted read engagement_counts only", () => {
    const filter = parseFilter(
      new URLSearchParams("owner=501&type=call&status=completed&connection=hubspot:acme-prod"),
    );
    const plans = plansOf(() => {
      countEngagements(db, filter);
      facetCounts(db, filter);
    });
    const counted = plans.filter((p) => p.source.includes("engagement"));
    expect(counted.length).toBeGreaterThanOrEqual(2);
    for (const p of counted) {
      expect(p.source).toContain("engagement_counts");
      expect(p.source).not.toMatch(/\bengagements\b/);
    }
  });
});

describe("activity chart days", () => {
  it("counts days in the filter's time zone when it names one", () => {
    // 23:00 UTC on 28 Feb is already 1 March in Tokyo.
    const late = walk(
      parseFilter(new URLSearchParams("from=2025-02-28&to=2025-02-28&limit=200")),
    ).filter((e) => e.startedAt >= "2025-02-28T15:00:00.000Z").length;
    const tokyo = activityPerDay(
      db,
      parseFilter(new URLSearchParams("from=2025-03-01&to=2025-03-01&tz=Asia/Tokyo")),
      Date.parse("2025-03-01T00:00:00Z"),
    );
    expect(tokyo).toEqual({
      days: [{ day: "2025-03-01", count: late }],
      capped: false,
      sampled: null,
    });
    expect(late).toBeGreaterThan(0);
  });
});

const STRATEGIES = [
  ["rare-term strategy", { frequentTerm: 2000 }],
  ["frequent-term walk", { frequentTerm: 0, walkChunk: 4 }],
  ["frequent-term join", { frequentTerm: 0, walkFrequentTerms: false }],
] as const;

/** Counts stop at CAP; facets and the chart count the newest SAMPLE (at most, at least CAP). */
describe.each(
  STRATEGIES.flatMap(([label, tuning]) => [
    [`${label}, cap 7, sample 7`, tuning, 7, 7] as const,
    [`${label}, cap 9, sample 5`, tuning, 9, 5] as const,
  ]),
)("past the cap (%s)", (_label, tuning, CAP, SAMPLE) => {
  const saved = { search: { ...searchTuning }, count: { ...countTuning } };
  beforeAll(() => {
    Object.assign(searchTuning, tuning);
    Object.assign(countTuning, { cap: CAP, sample: SAMPLE, useCounters: false });
  });
  afterAll(() => {
    Object.assign(searchTuning, saved.search);
    Object.assign(countTuning, saved.count);
  });

  /** Every match of a filter, newest first: the order the list shows and the cap keeps. */
  const newest = (f: EngagementFilter) =>
    everything()
      .filter((e) => oracle(e, f))
      .sort(
        (a, b) => Date.parse(b.startedAt) - Date.parse(a.startedAt) || Number(b.id) - Number(a.id),
      );
  const KEYS = ["type", "status", "direction", "owner"] as const;
  const valueOf = (e: EngagementView, key: (typeof KEYS)[number]) =>
    key === "owner" ? (e.owner?.id ?? null) : e[key];

  /** The filter without its four facet dimensions: the set facets and the chart walk. */
  const broad = (f: EngagementFilter): EngagementFilter => ({
    ...f,
    owner: null,
    type: [],
    status: [],
    direction: [],
  });
  const passes = (f: EngagementFilter, e: EngagementView, key: (typeof KEYS)[number]) =>
    key === "owner"
      ? f.owner === null || valueOf(e, key) === f.owner
      : f[key].length === 0 || f[key].includes(valueOf(e, key)!);

  /**
   * Facets over the newest SAMPLE matches of the broad filter (all of them when no more),
   * each counting the rows that pass the other three facets' filters.
   */
  function expectedFacets(f: EngagementFilter) {
    const broadRows = newest(broad(f));
    const narrowed = (key: (typeof KEYS)[number]) =>
      key === "owner" ? f.owner !== null : f[key].length > 0;
    // Past the cap, a filter that narrows by facets counts each facet over its own filter (the
    // filter less that facet); otherwise over the broad set.
    const ownWalks = broadRows.length > SAMPLE && KEYS.some(narrowed);
    let capped = !ownWalks && broadRows.length > SAMPLE;
    const out: Record<string, { value: string | null; count: number }[]> = {};
    for (const key of KEYS) {
      let rows = broadRows;
      if (ownWalks) {
        rows = newest(
          narrowed(key) ? { ...f, ...(key === "owner" ? { owner: null } : { [key]: [] }) } : f,
        );
        if (rows.length > SAMPLE) capped = true;
      }
      rows = rows.slice(0, SAMPLE);
      const tally = new Map<string | null, number>();
      for (const e of rows) {
        if (!KEYS.every((other) => other === key || passes(f, e, other))) continue;
        tally.set(valueOf(e, key), (tally.get(valueOf(e, key)) ?? 0) + 1);
      }
      out[key] = [...tally]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || String(a.value).localeCompare(String(b.value)));
    }
    out.owner = out.owner.filter((o) => o.value !== null).slice(0, 10);
    return { ...out, capped, sampled: capped ? SAMPLE : null };
  }

  for (const query of FILTERS) {
    it(`counts for "${query || "(no filter)"}" stop at ${CAP}, facets cover the newest ${SAMPLE} matches of the broad filter`, () => {
      const filter = parseFilter(new URLSearchParams(query));
      const matches = newest(filter).length;
      expect(countEngagements(db, filter)).toEqual({
        count: Math.min(matches, CAP),
        capped: matches > CAP,
      });
      const facets = facetCounts(db, filter);
      const strip = (values: { value: string | null; count: number }[]) =>
        values.map(({ value, count }) => ({ value, count }));
      expect({
        type: strip(facets.type),
        status: strip(facets.status),
        direction: strip(facets.direction),
        owner: strip(facets.owner),
        capped: facets.capped,
        sampled: facets.sampled,
      }).toEqual(expectedFacets(filter));
    });
  }

  for (const query of FILTERS) {
    it(`summarize for "${query || "(no filter)"}" answers what count, facets and chart do`, () => {
      const filter = parseFilter(new URLSearchParams(query));
      for (const anchor of ["2025-02-28T00:00:00Z", "2025-01-10T00:00:00Z"].map(Date.parse)) {
        expect(summarize(db, filter, anchor)).toEqual({
          count: countEngagements(db, filter),
          facets: facetCounts(db, filter),
          activity: activityPerDay(db, filter, anchor),
        });
      }
    });
  }

  it("has filters on both sides of the cap", () => {
    const sizes = FILTERS.map((q) => newest(parseFilter(new URLSearchParams(q))).length);
    expect(sizes.some((n) => n > CAP)).toBe(true);
    expect(sizes.some((n) => n > 0 && n <= CAP)).toBe(true);
  });

  it("counts exactly, never capped, where the counters answer", () => {
    countTuning.useCounters = true;
    try {
      const filter = parseFilter(new URLSearchParams("owner=501&type=call"));
      const matches = newest(filter).length;
      expect(matches).toBeGreaterThan(CAP);
      expect(countEngagements(db, filter)).toEqual({ count: matches, capped: false });
      expect(facetCounts(db, filter).capped).toBe(false);
    } finally {
      countTuning.useCounters = false;
    }
  });

  for (const query of ["", "owner=502", "user=501", "contact=c3", "q=pricing", "deleted=include"]) {
    it(`the chart for "${query || "(no filter)"}" counts its matches among the newest ${SAMPLE} of the broad filter and marks older days partial`, () => {
      const filter = parseFilter(new URLSearchParams(`${query}&from=2025-02-01&to=2025-02-28`));
      // Exact when the filter itself has at most CAP matches, else what the broad walk read.
      const own = newest(filter).length <= CAP;
      const rows = own ? newest(filter) : newest(broad(filter));
      const capped = !own && rows.length > SAMPLE;
      const counted = own ? rows : rows.slice(0, SAMPLE);
      const tally = new Map<string, number>();
      for (const e of counted) {
        if (!KEYS.every((key) => passes(filter, e, key))) continue;
        const day = e.startedAt.slice(0, 10);
        tally.set(day, (tally.get(day) ?? 0) + 1);
      }
      const oldest = capped ? counted[counted.length - 1]!.startedAt.slice(0, 10) : "";
      const activity = activityPerDay(db, filter, Date.parse("2025-02-28T00:00:00Z"));
      expect(activity.capped).toBe(capped);
      expect(activity.sampled).toBe(capped ? SAMPLE : null);
      expect(activity.days).toEqual(
        Array.from({ length: 28 }, (_, i) => {
          const day = `2025-02-${String(i + 1).padStart(2, "0")}`;
          return { day, count: tally.get(day) ?? 0, ...(day <= oldest ? { partial: true } : {}) };
        }),
      );
    });
  }
});
