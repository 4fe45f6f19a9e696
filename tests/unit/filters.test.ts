import { describe, expect, it } from "vitest";
import {
  activityWindow,
  allValues,
  chipRecords,
  clearFilters,
  connectionHref,
  connectionOf,
  DAY_MS,
  dateBound,
  dateRange,
  decodeDeliveryCursor,
  decodeEngagementCursor,
  DEFAULT_LIMIT,
  deliveriesHref,
  EMPTY_FILTER,
  encodeDeliveryCursor,
  encodeEngagementCursor,
  engagementsCsvHref,
  filterChips,
  filterHref,
  formatConnection,
  hasActiveFilters,
  hasDeliveryFilter,
  MAX_LIMIT,
  parseConnection,
  parseDateBound,
  parseDeliveryFilter,
  parseFilter,
  parseLimit,
  recordHref,
  removeChip,
  timeZoneOffset,
  toDeliveryQuery,
  toEngagementQuery,
  toggleValue,
  toSearchParams,
  withFilter,
} from "@/lib/filters";

const parse = (query: string) => parseFilter(new URLSearchParams(query));
const parseDelivery = (query: string) => parseDeliveryFilter(new URLSearchParams(query));
const at = (iso: string) => Date.parse(iso);

describe("params", () => {
  it("reads URLSearchParams and Next's searchParams object alike", () => {
    expect(allValues(new URLSearchParams("a=1&a=2"), "a")).toEqual(["1", "2"]);
    expect(allValues({ a: ["1", "2"], b: "3", c: undefined }, "a")).toEqual(["1", "2"]);
    expect(allValues({ b: "3" }, "b")).toEqual(["3"]);
    expect(allValues({ c: undefined }, "c")).toEqual([]);
    expect(allValues(null, "a")).toEqual([]);
  });

  it("has one page size rule, the same for both lists", () => {
    const cases: [string, number][] = [
      ["20", 20],
      [" 20 ", 20],
      ["200", 200],
      ["500", MAX_LIMIT],
      ["9999999", MAX_LIMIT],
      ["0", DEFAULT_LIMIT],
      ["-3", DEFAULT_LIMIT],
      ["abc", DEFAULT_LIMIT],
      ["", DEFAULT_LIMIT],
      ["1e2", DEFAULT_LIMIT],
      ["7.5", DEFAULT_LIMIT],
    ];
    for (const [value, limit] of cases) {
      const query = `limit=${encodeURIComponent(value)}`;
      expect([value, parseLimit(value)]).toEqual([value, limit]);
      expect([value, parse(query).limit, parseDelivery(query).limit]).toEqual([
        value,
        limit,
        limit,
      ]);
    }
    expect(parseLimit(undefined)).toBe(DEFAULT_LIMIT);
  });
});

describe("parseFilter", () => {
  it("reads every contract param", () => {
    const f = parse(
      "owner=501&contact=9001&company=7001&opportunity=4401&user=502&type=call&type=email&direction=inbound&status=completed&from=2025-03-01&to=2025-03-31&range=last7&q=pricing&connection=hubspot:acme-prod&deleted=include&sort=-startedAt&limit=20",
    );
    expect(f).toEqual({
      owner: "501",
      contact: "9001",
      company: "7001",
      opportunity: "4401",
      user: "502",
      type: ["call", "email"],
      direction: ["inbound"],
      status: ["completed"],
      from: "2025-03-01",
      to: "2025-03-31",
      tz: null,
      range: "last7",
      q: "pricing",
      rollup: null,
      connection: { connectorId: "hubspot", connectionOwnerId: "acme-prod" },
      deleted: "include",
      sort: "-startedAt",
      limit: 20,
      cursor: null,
    });
  });

  it("accepts Next's searchParams object with arrays", () => {
    const f = parseFilter({ type: ["call", "meeting"], owner: "501", q: undefined });
    expect(f.type).toEqual(["call", "meeting"]);
    expect(f.owner).toBe("501");
    expect(f.q).toBeNull();
  });

  it("reads comma lists and repeats alike, each value once", () => {
    expect(parse("type=call,email&type=email&type=+note+").type).toEqual(["call", "email", "note"]);
  });

  it("falls back to no filter on bad values, never throws", () => {
    const f = parse(
      "deleted=maybe&sort=title&limit=abc&from=2025-13-45&to=yesterday&connection=nocolon&cursor=%%%&type=<script>&tz=Mars/Base&owner=",
    );
    expect(f).toEqual(EMPTY_FILTER);
  });

  it("drops a date that does not exist, and a tz that is not a zone", () => {
    expect(parse("from=2025-02-30&to=2025-02-28").from).toBeNull();
    expect(parse("from=2025-02-30&to=2025-02-28").to).toBe("2025-02-28");
    expect(parse("tz=Europe/Madrid").tz).toBe("Europe/Madrid");
    expect(parse("tz=Europe/Nowhere").tz).toBeNull();
  });

  it("keeps unknown engagement types (an odd value stored raw can still be filtered)", () => {
    expect(parse("type=sms").type).toEqual(["sms"]);
  });
});

describe("dates", () => {
  it("a bare `to` date runs through the end of that UTC day", () => {
    const r = dateRange(parse("from=2025-03-06&to=2025-03-06"));
    expect(r.fromMs).toBe(at("2025-03-06T00:00:00.000Z"));
    expect(r.toMs).toBe(at("2025-03-06T23:59:59.999Z"));
  });

  it("with tz, bare dates are days in that zone (DST included)", () => {
    const r = dateRange(parse("from=2025-03-30&to=2025-03-30&tz=Europe/Madrid"));
    // Madrid switches from +01:00 to +02:00 on 30 March 2025: that day has 23 hours.
    expect(r.fromMs).toBe(at("2025-03-29T23:00:00.000Z"));
    expect(r.toMs).toBe(at("2025-03-30T21:59:59.999Z"));
  });

  it("date-times with an offset are exact instants whatever tz says", () => {
    const r = dateRange(
      parse("from=2025-03-06T09:05:00Z&to=2025-03-06T10:00:00%2B01:00&tz=Asia/Tokyo"),
    );
    expect(r.fromMs).toBe(at("2025-03-06T09:05:00Z"));
    expect(r.toMs).toBe(at("2025-03-06T09:00:00Z"));
  });

  it("date-times without an offset are wall-clock times in tz", () => {
    expect(parseDateBound("2025-03-06T10:00", "Asia/Tokyo", false)).toBe(at("2025-03-06T01:00Z"));
    expect(parseDateBound("2025-03-06 10:00:30.5", null, true)).toBe(at("2025-03-06T10:00:30.5Z"));
    expect(parseDateBound("2025-03-06T24:00", null, false)).toBeNull();
  });

  it("does not depend on the machine's time zone", () => {
    const before = process.env.TZ;
    process.env.TZ = "America/Los_Angeles";
    try {
      expect(dateRange(parse("from=2025-03-06")).fromMs).toBe(at("2025-03-06T00:00:00Z"));
      expect(dateBound("2025-03-06T10:00", "start")).toBe(at("2025-03-06T10:00:00Z"));
    } finally {
      process.env.TZ = before;
    }
  });

  it("knows a zone's offset at an instant", () => {
    expect(timeZoneOffset(at("2025-03-30T00:30:00Z"), "Europe/Madrid")).toBe(3_600_000);
    expect(timeZoneOffset(at("2025-03-30T01:30:00Z"), "Europe/Madrid")).toBe(7_200_000);
    expect(timeZoneOffset(at("2025-07-01T12:00:00Z"), "America/Los_Angeles")).toBe(-25_200_000);
  });
});

describe("activityWindow", () => {
  const anchor = at("2025-03-15T10:00:00Z");

  it("is the 30 days up to the anchor when the filter has no dates", () => {
    expect(activityWindow({ fromMs: null, toMs: null }, null, anchor)).toEqual({
      offsetMs: 0,
      startDay: at("2025-02-14") / DAY_MS,
      endDay: at("2025-03-15") / DAY_MS,
      fromMs: at("2025-02-14T00:00:00Z"),
      toMs: at("2025-03-15T23:59:59.999Z"),
    });
  });

  it("counts each day in the zone as long as it really is", () => {
    const spring = activityWindow(
      dateRange(parse("from=2025-03-08&to=2025-03-10&tz=America/Los_Angeles")),
      "America/Los_Angeles",
      anchor,
    );
    expect(spring).toEqual({
      offsetMs: -8 * 3_600_000,
      shifts: [{ atMs: at("2025-03-09T10:00:00Z"), offsetMs: -7 * 3_600_000 }],
      startDay: at("2025-03-08") / DAY_MS,
      endDay: at("2025-03-10") / DAY_MS,
      fromMs: at("2025-03-08T08:00:00Z"),
      toMs: at("2025-03-11T06:59:59.999Z"),
    });
    const autumn = activityWindow(
      dateRange(parse("from=2025-10-26&to=2025-10-26&tz=Europe/Madrid")),
      "Europe/Madrid",
      anchor,
    );
    expect(autumn.toMs + 1 - autumn.fromMs).toBe(25 * 3_600_000);
    expect(autumn.shifts).toEqual([{ atMs: at("2025-10-26T01:00:00Z"), offsetMs: 3_600_000 }]);
    const tokyo = activityWindow({ fromMs: null, toMs: null }, "Asia/Tokyo", anchor);
    expect(tokyo.shifts).toBeUndefined();
    expect(tokyo.fromMs).toBe(at("2025-02-13T15:00:00Z"));
  });
});

describe("toEngagementQuery", () => {
  it("turns the URL's dates into instants and copies the rest", () => {
    const f = parse(
      `owner=501&contact=9001&company=7001&opportunity=4401&user=502&type=call&direction=inbound&status=completed&from=2025-03-30&to=2025-03-31&tz=Europe/Madrid&q=pricing&connection=hubspot:acme&deleted=only&limit=20&cursor=${encodeEngagementCursor({ startedAt: 5, id: 9 })}`,
    );
    expect(toEngagementQuery(f)).toEqual({
      owner: "501",
      contact: "9001",
      company: "7001",
      opportunity: "4401",
      user: "502",
      type: ["call"],
      direction: ["inbound"],
      status: ["completed"],
      // 30 March is Madrid's DST day: it starts at +01:00, and 31 March ends at +02:00.
      fromMs: at("2025-03-29T23:00:00.000Z"),
      toMs: at("2025-03-31T21:59:59.999Z"),
      text: "pricing",
      rollup: false,
      connection: { connectorId: "hubspot", connectionOwnerId: "acme" },
      deleted: "only",
      newestFirst: true,
      limit: 20,
      after: { startedAt: 5, id: 9 },
    });
  });

  it("reads the sort as a direction and no dates as no bounds", () => {
    expect(toEngagementQuery(parse("sort=-startedAt"))).toMatchObject({
      newestFirst: false,
      fromMs: null,
      toMs: null,
      text: null,
      after: null,
    });
    expect(toEngagementQuery(parse("from=2025-03-06")).fromMs).toBe(at("2025-03-06T00:00Z"));
  });
});

describe("cursors", () => {
  it("are opaque base64url and round-trip", () => {
    const c = { startedAt: 1741251904606, id: 42 };
    const text = encodeEngagementCursor(c);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeEngagementCursor(text)).toEqual(c);
    expect(parse(`cursor=${text}`).cursor).toEqual(c);
    expect(decodeDeliveryCursor(encodeDeliveryCursor(987))).toBe(987);
  });

  it("still open the links made before (the same encoded texts)", () => {
    expect(encodeEngagementCursor({ startedAt: 1741251904606, id: 42 })).toBe(
      "MTc0MTI1MTkwNDYwNi40Mg",
    );
    expect(decodeEngagementCursor("MTc0MTI1MTkwNDYwNi40Mg")).toEqual({
      startedAt: 1741251904606,
      id: 42,
    });
    expect(decodeEngagementCursor("LTUuNw")).toEqual({ startedAt: -5, id: 7 });
    expect(encodeDeliveryCursor(12)).toBe("ZDEy");
    expect(parseDelivery("cursor=ZDEy").cursor).toBe(12);
  });

  it("ignore tampered cursors, and one list's cursor in the other", () => {
    const wrap = (text: string) => Buffer.from(text).toString("base64url");
    expect(decodeEngagementCursor(wrap("1.2.3"))).toBeNull();
    expect(decodeEngagementCursor(wrap("drop table"))).toBeNull();
    expect(decodeEngagementCursor(wrap("99999999999999999.1"))).toBeNull();
    expect(decodeEngagementCursor("ZDEy")).toBeNull();
    expect(decodeDeliveryCursor("MTc0MTI1MTkwNDYwNi40Mg")).toBeNull();
    expect(decodeDeliveryCursor(wrap("d1234567890123456"))).toBeNull();
    expect(decodeDeliveryCursor(undefined)).toBeNull();
    expect(parseDelivery("cursor=zzz").cursor).toBeUndefined();
  });
});

describe("connections", () => {
  it("split at the first colon: the owner id may hold more", () => {
    expect(parseConnection("hubspot:acme-prod")).toEqual({
      connectorId: "hubspot",
      connectionOwnerId: "acme-prod",
    });
    expect(parseConnection("a:b:c")).toEqual({ connectorId: "a", connectionOwnerId: "b:c" });
  });

  it("need both parts", () => {
    for (const value of ["", "nocolon", ":owner", "connector:", ":", null, undefined]) {
      expect([value, parseConnection(value)]).toEqual([value, null]);
    }
    expect(parseConnection(`a:${"x".repeat(398)}`)).not.toBeNull();
    expect(parseConnection(`a:${"x".repeat(399)}`)).toBeNull();
  });

  it("format back to what they were parsed from", () => {
    for (const value of ["hubspot:acme-prod", "a:b:c", "salesforce:Org 1"]) {
      expect(formatConnection(parseConnection(value)!)).toBe(value);
    }
  });

  it("are read from a row only when it names both parts", () => {
    expect(connectionOf({ connectorId: "hubspot", connectionOwnerId: "acme" })).toEqual({
      connectorId: "hubspot",
      connectionOwnerId: "acme",
    });
    expect(connectionOf({ connectorId: "hubspot", connectionOwnerId: null })).toBeNull();
    expect(connectionOf({ connectorId: null, connectionOwnerId: "acme" })).toBeNull();
  });
});

describe("engagement links", () => {
  it("round-trip through search params", () => {
    const query =
      "owner=501&contact=9001&type=call&type=email&status=planned&from=2025-03-01&to=2025-03-31&tz=Europe%2FMadrid&q=a+b&connection=hubspot%3Aacme-prod&deleted=only&sort=-startedAt&limit=10";
    const f = parse(query);
    expect(toSearchParams(f).toString()).toBe(query);
    expect(parse(toSearchParams(f).toString())).toEqual(f);
    const paged = { ...f, cursor: { startedAt: 5, id: 9 } };
    expect(parse(toSearchParams(paged).toString())).toEqual(paged);
  });

  it("leave defaults out", () => {
    expect(filterHref("/engagements", EMPTY_FILTER)).toBe("/engagements");
  });

  it("start again from the first page on any change", () => {
    const f = { ...parse("type=call"), cursor: { startedAt: 5, id: 9 } };
    expect(withFilter(f, { owner: "501" })).toEqual({ ...f, owner: "501", cursor: null });
    const added = toggleValue(f, "type", "email");
    expect(added.type).toEqual(["call", "email"]);
    expect(added.cursor).toBeNull();
    expect(toggleValue(added, "type", "call").type).toEqual(["email"]);
  });

  it("remove a chip", () => {
    const f = parse("owner=501&type=call&type=email&deleted=only&from=2025-01-01&tz=UTC");
    expect(removeChip(f, "owner").owner).toBeNull();
    expect(removeChip(f, "type", "call").type).toEqual(["email"]);
    expect(removeChip(f, "type").type).toEqual([]);
    expect(removeChip(f, "deleted").deleted).toBe("hide");
    // The zone is the viewer's, not part of the dates: it stays for the links still to come.
    expect(removeChip(f, "from")).toMatchObject({ from: null, tz: "UTC" });
    expect(removeChip(parse("range=last7&from=2025-01-01"), "range")).toMatchObject({
      range: null,
      from: "2025-01-01",
    });
  });

  it("keep locked keys out of a record page's links", () => {
    const f = parse("contact=9001&type=call");
    expect(filterHref("/contacts/9001", f, ["contact"])).toBe("/contacts/9001?type=call");
  });

  it("clear filters but not paging preferences", () => {
    const f = parse("owner=501&limit=10&sort=-startedAt&tz=Europe/Madrid");
    expect(hasActiveFilters(f)).toBe(true);
    const cleared = clearFilters(f);
    expect(hasActiveFilters(cleared)).toBe(false);
    expect(cleared).toEqual({
      ...EMPTY_FILTER,
      limit: 10,
      sort: "-startedAt",
      tz: "Europe/Madrid",
    });
    expect(hasActiveFilters(parse("limit=10&sort=-startedAt&tz=UTC"))).toBe(false);
  });

  it("export every page of the filter as CSV", () => {
    const f = { ...parse("contact=9001&type=call"), cursor: { startedAt: 5, id: 9 } };
    expect(engagementsCsvHref(f)).toBe("/api/engagements?contact=9001&type=call&format=csv");
  });

  it("open a record or a connection's list", () => {
    const acme = { connectorId: "hubspot", connectionOwnerId: "acme-prod" };
    expect(recordHref("genericContact", "90 01", acme)).toBe(
      "/contacts/90%2001?connection=hubspot%3Aacme-prod",
    );
    expect(recordHref("crmOpportunity", "4401")).toBe("/opportunities/4401");
    expect(connectionHref(acme)).toBe("/engagements?connection=hubspot%3Aacme-prod");
    expect(parse(connectionHref(acme).split("?")[1]).connection).toEqual(acme);
  });
});

describe("chips", () => {
  const f = parse(
    "owner=501&contact=9001&user=502&type=call&status=planned&from=2025-03-01&q=renewal&connection=hubspot:acme&deleted=only",
  );

  it("name the chosen records the page does not fix itself", () => {
    expect(chipRecords(f, ["contact"])).toEqual([
      { key: "owner", model: "genericUser", id: "501" },
      { key: "user", model: "genericUser", id: "502" },
    ]);
    expect(chipRecords(parse("company=7001&opportunity=4401"))).toEqual([
      { key: "company", model: "genericCompany", id: "7001" },
      { key: "opportunity", model: "crmOpportunity", id: "4401" },
    ]);
  });

  it("are labelled and each links to the list without it", () => {
    const chips = filterChips({
      filter: f,
      names: { owner: "Dana Scully", user: null },
      locked: ["contact"],
      hideChips: ["connection"],
      basePath: "/contacts/9001",
      valueLabel: (key, value) => `${key}/${value}`,
    });
    const rest = "from=2025-03-01&q=renewal&connection=hubspot%3Aacme&deleted=only" as const;
    expect(chips).toEqual([
      {
        key: "owner",
        label: "Owner: Dana Scully",
        href: `/contacts/9001?user=502&type=call&status=planned&${rest}`,
      },
      {
        key: "user",
        label: "User: 502",
        href: `/contacts/9001?owner=501&type=call&status=planned&${rest}`,
      },
      {
        key: "type",
        value: "call",
        label: "Type: type/call",
        href: `/contacts/9001?owner=501&user=502&status=planned&${rest}`,
      },
      {
        key: "status",
        value: "planned",
        label: "Status: status/planned",
        href: `/contacts/9001?owner=501&user=502&type=call&${rest}`,
      },
      {
        key: "from",
        label: "From 2025-03-01",
        href: "/contacts/9001?owner=501&user=502&type=call&status=planned&q=renewal&connection=hubspot%3Aacme&deleted=only",
      },
      {
        key: "q",
        label: "Text: “renewal”",
        href: "/contacts/9001?owner=501&user=502&type=call&status=planned&from=2025-03-01&connection=hubspot%3Aacme&deleted=only",
      },
      {
        key: "deleted",
        label: "Deleted only",
        href: "/contacts/9001?owner=501&user=502&type=call&status=planned&from=2025-03-01&q=renewal&connection=hubspot%3Aacme",
      },
    ]);
  });

  it("show the connection, a `to` date and included deleted ones when not hidden", () => {
    const chips = filterChips({
      filter: parse("to=2025-03-31&connection=hubspot:acme&deleted=include"),
      names: {},
      basePath: "/engagements",
    });
    expect(chips.map((c) => [c.label, c.href])).toEqual([
      ["To 2025-03-31", "/engagements?connection=hubspot%3Aacme&deleted=include"],
      ["Connection: hubspot:acme", "/engagements?to=2025-03-31&deleted=include"],
      ["Including deleted", "/engagements?to=2025-03-31&connection=hubspot%3Aacme"],
    ]);
    expect(filterChips({ filter: EMPTY_FILTER, names: {}, basePath: "/engagements" })).toEqual([]);
  });
});

/** The log's date bound before it was read by `parseDateBound` (the oracle). */
function oldDateBound(value: string | undefined, edge: "start" | "end"): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    const start = Date.parse(`${trimmed}T00:00:00.000Z`);
    if (Number.isNaN(start)) return undefined;
    return edge === "start" ? start : start + 86_400_000 - 1;
  }
  if (!/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
  const ms = Date.parse(trimmed);
  return Number.isNaN(ms) ? undefined : ms;
}

describe("parseDeliveryFilter", () => {
  it("reads every param", () => {
    expect(
      parseDelivery(
        "outcome=applied,stale&outcome=applied&event=crmEngagement::updated&event=genericUser::created&event=crmEngagement::updated&connection=+hubspot:acme+&key=k-1&resource=eng_1&from=2025-03-01&to=2025-03-02T12:00:00Z&limit=20&cursor=ZDEy",
      ),
    ).toEqual({
      outcome: ["applied", "stale"],
      event: ["crmEngagement::updated", "genericUser::created"],
      connection: { connectorId: "hubspot", connectionOwnerId: "acme" },
      key: "k-1",
      resource: "eng_1",
      from: "2025-03-01",
      to: "2025-03-02T12:00:00Z",
      limit: 20,
      cursor: 12,
    });
  });

  it("treats bad values as no filter", () => {
    expect(
      parseDelivery(
        "outcome=bogus&event=&connection=nocolon&from=yesterday&to=2025-13-45&limit=-4&cursor=%%%&key=+",
      ),
    ).toEqual({
      outcome: [],
      event: [],
      connection: undefined,
      key: undefined,
      resource: undefined,
      from: undefined,
      to: undefined,
      limit: DEFAULT_LIMIT,
      cursor: undefined,
    });
  });

  it("reads the dates it always accepted as it always did (UTC days, inclusive `to`)", () => {
    const before = process.env.TZ;
    process.env.TZ = "UTC";
    try {
      for (const value of [
        "2025-03-06",
        " 2024-02-29 ",
        "2025-12-31",
        "2025-03-06T10:00:00Z",
        "2025-03-06T10:00:00.123456Z",
        "2025-03-06T10:00:00+01:00",
        "2025-03-06T10:00:00-0530",
        "2025-03-06T10:00",
        "2025-03-06T10:00:00.5",
        "2025-03-06T24:00:00Z",
        "2025-03-06Tfoo",
        "2025-03-06T10:00:60Z",
        "yesterday",
        "",
      ]) {
        for (const edge of ["start", "end"] as const) {
          expect([value, edge, dateBound(value, edge)]).toEqual([
            value,
            edge,
            oldDateBound(value, edge),
          ]);
        }
      }
    } finally {
      process.env.TZ = before;
    }
    const f = parseDelivery("from=2025-03-06&to=2025-03-06");
    expect(toDeliveryQuery(f)).toMatchObject({
      fromMs: at("2025-03-06T00:00:00.000Z"),
      toMs: at("2025-03-06T23:59:59.999Z"),
    });
  });

  it("refuses a day the calendar does not have", () => {
    expect(parseDelivery("from=2025-02-30").from).toBeUndefined();
    expect(dateBound("2025-02-30", "start")).toBeUndefined();
  });

  it("round-trips through the links it builds", () => {
    const f = parseDelivery(
      "outcome=stale&outcome=rejected&event=a::created&event=b::deleted&connection=hubspot:acme-prod&key=k&resource=r&from=2025-03-01&limit=20",
    );
    const href = deliveriesHref(f);
    expect(href).toBe(
      "/deliveries?outcome=stale&outcome=rejected&event=a%3A%3Acreated&event=b%3A%3Adeleted&connection=hubspot%3Aacme-prod&key=k&resource=r&from=2025-03-01&limit=20",
    );
    expect(parseDeliveryFilter(new URL(href, "http://x").searchParams)).toEqual(f);
    expect(deliveriesHref(f, { outcome: [], event: [], key: undefined }, { cursor: "ZDEy" })).toBe(
      "/deliveries?connection=hubspot%3Aacme-prod&resource=r&from=2025-03-01&limit=20&cursor=ZDEy",
    );
    expect(deliveriesHref({})).toBe("/deliveries");
  });

  it("knows when anything beyond paging narrows the log", () => {
    expect(hasDeliveryFilter(parseDelivery("limit=10&cursor=ZDEy"))).toBe(false);
    expect(hasDeliveryFilter(parseDelivery("resource=r"))).toBe(true);
    expect(hasDeliveryFilter(parseDelivery("outcome=applied"))).toBe(true);
    expect(hasDeliveryFilter(parseDelivery("event=a::created"))).toBe(true);
  });
});

describe("toDeliveryQuery", () => {
  it("turns the dates into instants and the cursor into `before`", () => {
    expect(
      toDeliveryQuery(
        parseDelivery(
          "outcome=conflict&connection=hubspot:acme&from=2025-03-01&to=2025-03-02&limit=5&cursor=ZDEy",
        ),
      ),
    ).toEqual({
      outcome: ["conflict"],
      event: [],
      connection: { connectorId: "hubspot", connectionOwnerId: "acme" },
      key: null,
      resource: null,
      fromMs: at("2025-03-01T00:00:00.000Z"),
      toMs: at("2025-03-02T23:59:59.999Z"),
      limit: 5,
      before: 12,
    });
  });

  it("asks for everything when nothing is set", () => {
    expect(toDeliveryQuery(parseDelivery(""))).toEqual({
      outcome: [],
      event: [],
      connection: null,
      key: null,
      resource: null,
      fromMs: null,
      toMs: null,
      limit: DEFAULT_LIMIT,
      before: null,
    });
  });
});
