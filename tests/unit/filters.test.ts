import { describe, expect, it } from "vitest";
import {
  activeQuickRange,
  clearFilters,
  dateRange,
  decodeCursor,
  DEFAULT_LIMIT,
  EMPTY_FILTER,
  encodeCursor,
  filterHref,
  hasActiveFilters,
  MAX_LIMIT,
  parseFilter,
  quickRange,
  removeChip,
  toggleValue,
  toSearchParams,
} from "@/lib/filters";

const parse = (query: string) => parseFilter(new URLSearchParams(query));

describe("parseFilter", () => {
  it("reads every contract param", () => {
    const f = parse(
      "owner=501&contact=9001&company=7001&opportunity=4401&user=502&type=call&type=email&direction=inbound&status=completed&from=2025-03-01&to=2025-03-31&q=pricing&connection=hubspot:acme-prod&deleted=include&sort=-startedAt&limit=20",
    );
    expect(f).toMatchObject({
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
      q: "pricing",
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

  it("falls back to no filter on bad values, never throws", () => {
    const f = parse(
      "deleted=maybe&sort=title&limit=abc&from=2025-13-45&to=yesterday&connection=nocolon&cursor=%%%&type=<script>&tz=Mars/Base&owner=",
    );
    expect(f).toEqual(EMPTY_FILTER);
  });

  it("clamps the page size", () => {
    expect(parse("limit=500").limit).toBe(MAX_LIMIT);
    expect(parse("limit=0").limit).toBe(DEFAULT_LIMIT);
    expect(parse("limit=-3").limit).toBe(DEFAULT_LIMIT);
  });

  it("keeps unknown engagement types (an odd value stored raw can still be filtered)", () => {
    expect(parse("type=sms").type).toEqual(["sms"]);
  });
});

describe("dates", () => {
  it("a bare `to` date runs through the end of that UTC day", () => {
    const r = dateRange(parse("from=2025-03-06&to=2025-03-06"));
    expect(r.fromMs).toBe(Date.parse("2025-03-06T00:00:00.000Z"));
    expect(r.toMs).toBe(Date.parse("2025-03-06T23:59:59.999Z"));
  });

  it("with tz, bare dates are days in that zone (DST included)", () => {
    const r = dateRange(parse("from=2025-03-30&to=2025-03-30&tz=Europe/Madrid"));
    // Madrid switches from +01:00 to +02:00 on 30 March 2025.
    expect(r.fromMs).toBe(Date.parse("2025-03-29T23:00:00.000Z"));
    expect(r.toMs).toBe(Date.parse("2025-03-30T21:59:59.999Z"));
  });

  it("date-times with an offset are exact instants whatever tz says", () => {
    const r = dateRange(
      parse("from=2025-03-06T09:05:00Z&to=2025-03-06T10:00:00%2B01:00&tz=Asia/Tokyo"),
    );
    expect(r.fromMs).toBe(Date.parse("2025-03-06T09:05:00Z"));
    expect(r.toMs).toBe(Date.parse("2025-03-06T09:00:00Z"));
  });

  it("does not depend on the machine's time zone", () => {
    const before = process.env.TZ;
    process.env.TZ = "America/Los_Angeles";
    try {
      expect(dateRange(parse("from=2025-03-06")).fromMs).toBe(Date.parse("2025-03-06T00:00:00Z"));
    } finally {
      process.env.TZ = before;
    }
  });

  it("quick ranges are inclusive bare dates", () => {
    const now = Date.parse("2025-03-15T10:00:00Z");
    expect(quickRange("today", now, null)).toEqual({ from: "2025-03-15", to: "2025-03-15" });
    expect(quickRange("last7", now, null)).toEqual({ from: "2025-03-09", to: "2025-03-15" });
    expect(quickRange("last30", now, null)).toEqual({ from: "2025-02-14", to: "2025-03-15" });
    expect(quickRange("thisMonth", now, null)).toEqual({ from: "2025-03-01", to: "2025-03-15" });
    // Late evening in Los Angeles is already tomorrow in UTC.
    const late = Date.parse("2025-03-16T05:00:00Z");
    expect(quickRange("today", late, "America/Los_Angeles").to).toBe("2025-03-15");
    expect(activeQuickRange(parse("from=2025-03-09&to=2025-03-15"), now)).toBe("last7");
  });
});

describe("building URLs", () => {
  it("round-trips through search params", () => {
    const query =
      "owner=501&contact=9001&type=call&type=email&status=planned&from=2025-03-01&to=2025-03-31&tz=Europe%2FMadrid&q=a+b&connection=hubspot%3Aacme-prod&deleted=only&sort=-startedAt&limit=10";
    const f = parse(query);
    expect(toSearchParams(f).toString()).toBe(query);
    expect(parse(toSearchParams(f).toString())).toEqual(f);
  });

  it("leaves defaults out of links", () => {
    expect(filterHref("/engagements", EMPTY_FILTER)).toBe("/engagements");
  });

  it("toggles a value and starts from the first page", () => {
    const f = { ...parse("type=call"), cursor: { startedAt: 5, id: 9 } };
    const added = toggleValue(f, "type", "email");
    expect(added.type).toEqual(["call", "email"]);
    expect(added.cursor).toBeNull();
    expect(toggleValue(added, "type", "call").type).toEqual(["email"]);
  });

  it("removes a chip", () => {
    const f = parse("owner=501&type=call&type=email&deleted=only&from=2025-01-01&tz=UTC");
    expect(removeChip(f, "owner").owner).toBeNull();
    expect(removeChip(f, "type", "call").type).toEqual(["email"]);
    expect(removeChip(f, "deleted").deleted).toBe("hide");
    expect(removeChip(f, "from")).toMatchObject({ from: null, tz: null });
  });

  it("keeps locked keys out of a record page's links", () => {
    const f = parse("contact=9001&type=call");
    expect(filterHref("/contacts/9001", f, ["contact"])).toBe("/contacts/9001?type=call");
  });

  it("clears filters but not paging preferences", () => {
    const f = parse("owner=501&limit=10&sort=-startedAt");
    expect(hasActiveFilters(f)).toBe(true);
    const cleared = clearFilters(f);
    expect(hasActiveFilters(cleared)).toBe(false);
    expect(cleared.limit).toBe(10);
  });
});

describe("cursor", () => {
  it("is opaque base64url and round-trips", () => {
    const c = { startedAt: 1741251904606, id: 42 };
    const text = encodeCursor(c);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(c);
    expect(parse(`cursor=${text}`).cursor).toEqual(c);
  });

  it("ignores tampered cursors", () => {
    expect(decodeCursor(Buffer.from("1.2.3").toString("base64url"))).toBeNull();
    expect(decodeCursor(Buffer.from("drop table").toString("base64url"))).toBeNull();
  });
});
