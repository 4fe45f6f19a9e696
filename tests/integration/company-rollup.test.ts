import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/engagements/route";
import type { EngagementView } from "@/db/types";
import { parseFilter, toEngagementQuery } from "@/lib/filters";
import { deliver } from "../helpers/deliver";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent } from "../helpers/morph";

const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });

function opportunity(
  id: string,
  companies: string[],
  action = "created",
  updatedAt = "2025-03-01",
) {
  const data: Record<string, unknown> = {
    object: "resource",
    model: "crmOpportunity",
    id,
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: `${updatedAt}T00:00:00.000Z`,
    rawResource: null,
    warnings: [],
  };
  if (action !== "deleted") {
    data.fields = {
      name: `Deal ${id}`,
      amount: 1000,
      currency: "EUR",
      companies: companies.map((c) => ref("genericCompany", c)),
      contacts: [ref("genericContact", "9001")],
    };
  }
  return { event: `crmOpportunity::${action}`, data };
}

function engagement(id: string, day: string, refs: { companies?: string[]; opps?: string[] }) {
  return engagementEvent(id, `2025-03-${day}T10:00:00Z`, {
    action: "created",
    fields: {
      startedAt: `2025-03-${day}T09:00:00.000Z`,
      companies: (refs.companies ?? []).map((c) => ref("genericCompany", c)),
      opportunities: (refs.opps ?? []).map((o) => ref("crmOpportunity", o)),
    },
  });
}

/**
 * Company 7001 in hubspot:acme-prod. Its opportunities: 4401 (and 4403, deleted). 4402 belongs to
 * another company. In hubspot:beta, 4401 is another deal that does not list 7001.
 */
const RECORDS = [
  { body: opportunity("4401", ["7001"]) },
  { body: opportunity("4402", ["7002"]) },
  { body: opportunity("4403", ["7001"]) },
  { body: opportunity("4403", [], "deleted", "2025-03-02") },
  { body: opportunity("4401", ["7099"]), owner: "beta" },
];
const ENGAGEMENTS = [
  { body: engagement("direct", "01", { companies: ["7001"] }) },
  { body: engagement("via-deal", "02", { opps: ["4401"] }) },
  { body: engagement("both", "03", { companies: ["7001"], opps: ["4401"] }) },
  { body: engagement("other-company-deal", "04", { opps: ["4402"] }) },
  { body: engagement("deleted-deal", "05", { opps: ["4403"] }) },
  { body: engagement("other-connection", "06", { opps: ["4401"] }), owner: "beta" },
];

async function list(params: string): Promise<EngagementView[]> {
  const response = await listRoute(new Request(`http://localhost/api/engagements?${params}`));
  expect(response.status).toBe(200);
  return (await response.json()).data;
}

const ids = (rows: EngagementView[]) => rows.map((row) => row.externalId);

for (const order of ["records first", "engagements first"] as const) {
  describe.each(testEngines())(`a company's roll-up, ${order}, on %s`, (engine) => {
    let temp: EngineStore;
    beforeAll(async () => {
      temp = await setUpAppStore(engine);
      const all =
        order === "records first" ? [...RECORDS, ...ENGAGEMENTS] : [...ENGAGEMENTS, ...RECORDS];
      for (const { body, owner } of all) {
        const result = await deliver(temp.store, body, { owner });
        expect(result.status).toBe(200);
      }
    });
    afterAll(() => temp.cleanup());

    it("holds the company's own engagements and those on its live opportunities, in its connection", async () => {
      expect(ids(await list("company=7001&rollup=1"))).toEqual(["both", "via-deal", "direct"]);
    });

    it("marks a row included only through an opportunity with via, and no other", async () => {
      const rows = await list("company=7001&rollup=1");
      const byId = Object.fromEntries(rows.map((row) => [row.externalId, row]));
      expect(byId["via-deal"]!.via).toEqual([
        { model: "crmOpportunity", id: "4401", name: "Deal 4401" },
      ]);
      expect(byId["both"]!.via).toBeUndefined();
      expect(byId["direct"]!.via).toBeUndefined();
    });

    it("keeps to direct ones without rollup, or with rollup=0", async () => {
      expect(ids(await list("company=7001"))).toEqual(["both", "direct"]);
      expect(ids(await list("company=7001&rollup=0"))).toEqual(["both", "direct"]);
    });

    it("pages through the roll-up in both orders without repeating a row", async () => {
      const first = await listRoute(
        new Request("http://localhost/api/engagements?company=7001&rollup=1&limit=2"),
      );
      const page = await first.json();
      expect(ids(page.data)).toEqual(["both", "via-deal"]);
      const next = await list(`company=7001&rollup=1&limit=2&cursor=${page.nextCursor}`);
      expect(ids(next)).toEqual(["direct"]);
      expect(ids(await list("company=7001&rollup=1&sort=-startedAt"))).toEqual([
        "direct",
        "via-deal",
        "both",
      ]);
    });

    it("counts, facets and charts the same rows", async () => {
      const query = toEngagementQuery(parseFilter({ company: "7001", rollup: "1" }));
      expect(await temp.store.countEngagements(query)).toMatchObject({ count: 3 });
      const facets = await temp.store.countFacets(query);
      expect(facets.type).toEqual([{ value: "call", count: 3 }]);
      const direct = toEngagementQuery(parseFilter({ company: "7001" }));
      expect(await temp.store.countEngagements(direct)).toMatchObject({ count: 2 });
    });

    it("combines with another record filter", async () => {
      expect(ids(await list("company=7001&rollup=1&opportunity=4401"))).toEqual([
        "both",
        "via-deal",
      ]);
      expect(ids(await list("company=7001&rollup=1&contact=9001&type=call"))).toEqual([
        "both",
        "via-deal",
        "direct",
      ]);
    });

    it("exports a via column in the CSV", async () => {
      const response = await listRoute(
        new Request("http://localhost/api/engagements?company=7001&rollup=1&format=csv"),
      );
      const lines = (await response.text()).split("\r\n");
      expect(lines[0]!.split(",").at(-1)).toBe("via");
      const viaRow = lines.find((line) => line.includes(",via-deal,"))!;
      expect(viaRow.endsWith(",Deal 4401")).toBe(true);
      const plain = await listRoute(
        new Request("http://localhost/api/engagements?company=7001&format=csv"),
      );
      expect((await plain.text()).split("\r\n")[0]!.includes("via")).toBe(false);
    });
  });
}

describe.each(testEngines())("a roll-up follows its opportunities' changes on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore(engine);
    for (const { body, owner } of [...RECORDS, ...ENGAGEMENTS]) {
      await deliver(temp.store, body, { owner });
    }
  });
  afterAll(() => temp.cleanup());

  it("drops an opportunity that no longer lists the company, and one that is deleted", async () => {
    await deliver(temp.store, opportunity("4402", ["7002", "7001"], "updated", "2025-03-10"));
    expect(ids(await list("company=7001&rollup=1"))).toEqual([
      "other-company-deal",
      "both",
      "via-deal",
      "direct",
    ]);
    await deliver(temp.store, opportunity("4401", ["7002"], "updated", "2025-03-11"));
    expect(ids(await list("company=7001&rollup=1"))).toEqual([
      "other-company-deal",
      "both",
      "direct",
    ]);
    await deliver(temp.store, opportunity("4402", [], "deleted", "2025-03-12"));
    expect(ids(await list("company=7001&rollup=1"))).toEqual(["both", "direct"]);
  });
});
