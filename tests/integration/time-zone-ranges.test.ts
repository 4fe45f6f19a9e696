import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as listRoute } from "@/app/api/engagements/route";
import type { EngagementView } from "@/db/types";
import { activityWindow, parseFilter, toEngagementQuery } from "@/lib/filters";
import { deliver } from "../helpers/deliver";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent } from "../helpers/morph";

/** Engagements a minute either side of local midnights on the days clocks change. */
const STARTS: Record<string, string> = {
  // America/Los_Angeles, 9 March 2025: 23 hours (PST → PDT at 02:00).
  "la-before": "2025-03-09T07:59:00Z",
  "la-start": "2025-03-09T08:00:00Z",
  "la-late": "2025-03-10T06:59:00Z",
  "la-next": "2025-03-10T07:00:00Z",
  // Europe/Madrid, 26 October 2025: 25 hours (CEST → CET at 03:00).
  "md-before": "2025-10-25T21:59:00Z",
  "md-start": "2025-10-25T22:00:00Z",
  "md-late": "2025-10-26T22:59:00Z",
  "md-next": "2025-10-26T23:00:00Z",
  // Asia/Tokyo: 1 April there while UTC is still in March.
  "tk-april": "2025-03-31T15:00:00Z",
  // Asia/Kolkata (+05:30): Sunday 23:59 and Monday 00:00, 5–6 January 2025.
  "in-sunday": "2025-01-05T18:29:00Z",
  "in-monday": "2025-01-05T18:30:00Z",
};

async function list(params: string): Promise<string[]> {
  const response = await listRoute(new Request(`http://localhost/api/engagements?${params}`));
  expect(response.status).toBe(200);
  return ((await response.json()).data as EngagementView[]).map((row) => row.externalId);
}

async function csvIds(params: string): Promise<string[]> {
  const response = await listRoute(
    new Request(`http://localhost/api/engagements?${params}&format=csv`),
  );
  const text = await response.text();
  return Object.keys(STARTS).filter((id) => text.includes(`,${id},`));
}

describe.each(testEngines())("time zones and rolling ranges on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore(engine);
    for (const [id, startedAt] of Object.entries(STARTS)) {
      const body = engagementEvent(id, "2025-01-01T00:00:00Z", {
        action: "created",
        fields: { startedAt },
      });
      expect((await deliver(temp.store, body)).status).toBe(200);
    }
  });
  afterAll(() => temp.cleanup());
  afterEach(() => vi.useRealTimers());

  const at = (iso: string) => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date(iso));
  };

  it("a bare date is the whole local day, 23 or 25 hours long", async () => {
    const la = "from=2025-03-09&to=2025-03-09&tz=America/Los_Angeles";
    expect(await list(la)).toEqual(["la-late", "la-start"]);
    const madrid = "from=2025-10-26&to=2025-10-26&tz=Europe/Madrid";
    expect(await list(madrid)).toEqual(["md-late", "md-start"]);
    expect(await list("from=2025-01-06&to=2025-01-06&tz=Asia/Kolkata")).toEqual(["in-monday"]);
    expect(await list("from=2025-04-01&to=2025-04-01&tz=Asia/Tokyo")).toEqual(["tk-april"]);
    // The same dates in UTC are other rows.
    expect(await list("from=2025-01-06&to=2025-01-06")).toEqual([]);
  });

  it("today and yesterday are the local days at the request's time", async () => {
    at("2025-03-09T20:00:00Z");
    expect(await list("range=today&tz=America/Los_Angeles")).toEqual(["la-late", "la-start"]);
    at("2025-10-27T08:00:00Z");
    expect(await list("range=yesterday&tz=Europe/Madrid")).toEqual(["md-late", "md-start"]);
  });

  it("weeks and quarters turn at the zone's midnight", async () => {
    at("2025-01-07T12:00:00Z");
    expect(await list("range=thisWeek&tz=Asia/Kolkata")).toEqual(["in-monday"]);
    expect(await list("range=thisWeek")).toEqual([]);
    at("2025-04-01T01:00:00Z");
    expect(await list("range=thisQuarter&tz=Asia/Tokyo")).toEqual(["tk-april"]);
    expect(await list("range=thisQuarter")).toEqual([]);
  });

  it("combines with from/to, the CSV holding the same rows; an unknown range is ignored", async () => {
    at("2025-04-01T01:00:00Z");
    const both = "range=lastQuarter&tz=Asia/Tokyo&from=2025-03-09&to=2025-03-09";
    expect(await list(both)).toEqual(["la-start", "la-before"]);
    expect((await csvIds(both)).sort()).toEqual(["la-before", "la-start"]);
    expect(await list("range=nextWeek&from=2025-03-09&to=2025-03-09")).toEqual([
      "la-start",
      "la-before",
    ]);
  });

  it("olderThan30 and last30 split the rows with no gap", async () => {
    at("2025-03-20T12:00:00Z");
    const older = await list("range=olderThan30&tz=Asia/Kolkata");
    expect(older.sort()).toEqual(["in-monday", "in-sunday"]);
    const last = await list("range=last30&tz=Asia/Kolkata");
    expect(last).toEqual(["la-next", "la-late", "la-start", "la-before"]);
    expect(await list("range=next7&tz=Asia/Kolkata")).toEqual([]);
    at("2025-03-28T12:00:00Z");
    expect(await list("range=next7&tz=Asia/Tokyo")).toEqual(["tk-april"]);
  });

  it("counts and charts the local days as they really are", async () => {
    for (const [params, days] of [
      [
        "from=2025-03-08&to=2025-03-10&tz=America/Los_Angeles",
        { "2025-03-08": 1, "2025-03-09": 2, "2025-03-10": 1 },
      ],
      [
        "from=2025-10-25&to=2025-10-27&tz=Europe/Madrid",
        { "2025-10-25": 1, "2025-10-26": 2, "2025-10-27": 1 },
      ],
    ] as const) {
      const filter = parseFilter(new URLSearchParams(params));
      const query = toEngagementQuery(filter);
      const chart = activityWindow(query, filter.tz, Date.now());
      const summary = await temp.store.summarizeEngagements(query, chart);
      expect(summary.count).toMatchObject({ count: 4 });
      const activity = await temp.store.countActivity(query, chart);
      for (const result of [summary.activity, activity]) {
        expect(Object.fromEntries(result.days.map((d) => [d.day, d.count]))).toEqual(days);
      }
    }
  });
});
