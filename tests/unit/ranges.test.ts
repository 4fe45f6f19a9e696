import { describe, expect, it } from "vitest";
import {
  describeRange,
  parseFilter,
  RANGES,
  resolveRange,
  toEngagementQuery,
  type RangeName,
} from "@/lib/filters";

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
/** [from, to] as ISO instants, `to` inclusive (the last millisecond). */
const span = (range: RangeName, now: string, tz: string | null) => {
  const { fromMs, toMs } = resolveRange(range, at(now), tz);
  return [fromMs === null ? null : new Date(fromMs).toISOString(), new Date(toMs!).toISOString()];
};

describe("resolveRange at DST edges", () => {
  it("America/Los_Angeles: the spring day has 23 hours, the autumn one 25", () => {
    const tz = "America/Los_Angeles";
    expect(span("today", "2025-03-09T20:00:00Z", tz)).toEqual([
      "2025-03-09T08:00:00.000Z",
      "2025-03-10T06:59:59.999Z",
    ]);
    expect(span("yesterday", "2025-03-10T20:00:00Z", tz)).toEqual([
      "2025-03-09T08:00:00.000Z",
      "2025-03-10T06:59:59.999Z",
    ]);
    const autumn = resolveRange("today", at("2025-11-02T20:00:00Z"), tz);
    expect(autumn.toMs! + 1 - autumn.fromMs!).toBe(25 * HOUR);
    // Seven days over the change are 7 × 24 − 1 hours.
    const week = resolveRange("last7", at("2025-03-10T20:00:00Z"), tz);
    expect(new Date(week.fromMs!).toISOString()).toBe("2025-03-04T08:00:00.000Z");
    expect(week.toMs! + 1 - week.fromMs!).toBe((7 * 24 - 1) * HOUR);
    // Late evening there is already tomorrow in UTC: today is still the local day.
    expect(span("today", "2025-03-16T05:00:00Z", tz)[0]).toBe("2025-03-15T07:00:00.000Z");
  });

  it("Europe/Madrid: months and the day the clocks go forward", () => {
    const tz = "Europe/Madrid";
    expect(span("today", "2025-03-30T12:00:00Z", tz)).toEqual([
      "2025-03-29T23:00:00.000Z",
      "2025-03-30T21:59:59.999Z",
    ]);
    expect(span("thisMonth", "2025-03-30T12:00:00Z", tz)).toEqual([
      "2025-02-28T23:00:00.000Z",
      "2025-03-31T21:59:59.999Z",
    ]);
    expect(span("lastMonth", "2025-04-02T12:00:00Z", tz)).toEqual([
      "2025-02-28T23:00:00.000Z",
      "2025-03-31T21:59:59.999Z",
    ]);
    expect(span("last90", "2025-10-27T12:00:00Z", tz)[0]).toBe("2025-07-29T22:00:00.000Z");
  });

  it("Asia/Tokyo: the quarter has turned there while UTC is still in March", () => {
    const tz = "Asia/Tokyo";
    const now = "2025-03-31T16:00:00Z";
    expect(span("thisQuarter", now, tz)).toEqual([
      "2025-03-31T15:00:00.000Z",
      "2025-06-30T14:59:59.999Z",
    ]);
    expect(span("lastQuarter", now, tz)).toEqual([
      "2024-12-31T15:00:00.000Z",
      "2025-03-31T14:59:59.999Z",
    ]);
    expect(span("thisQuarter", now, null)[0]).toBe("2025-01-01T00:00:00.000Z");
  });

  it("Asia/Kolkata: a half-hour zone's ISO week, quarter and next days", () => {
    const tz = "Asia/Kolkata";
    // Monday 6 January 01:30 there, still Sunday in UTC.
    const now = "2025-01-05T20:00:00Z";
    expect(span("thisWeek", now, tz)).toEqual([
      "2025-01-05T18:30:00.000Z",
      "2025-01-12T18:29:59.999Z",
    ]);
    expect(span("thisWeek", now, null)[0]).toBe("2024-12-30T00:00:00.000Z");
    expect(span("lastQuarter", now, tz)).toEqual([
      "2024-09-30T18:30:00.000Z",
      "2024-12-31T18:29:59.999Z",
    ]);
    expect(span("next7", now, tz)).toEqual([
      "2025-01-05T20:00:00.000Z",
      "2025-01-13T18:29:59.999Z",
    ]);
    expect(span("next30", now, tz)[1]).toBe("2025-02-05T18:29:59.999Z");
  });

  it("olderThanN ends where lastN starts, with no gap and no overlap", () => {
    for (const tz of [null, "America/Los_Angeles", "Europe/Madrid", "Asia/Kolkata"]) {
      const now = at("2025-03-30T12:00:00Z");
      for (const n of [30, 90] as const) {
        const older = resolveRange(`olderThan${n}`, now, tz);
        const last = resolveRange(`last${n}`, now, tz);
        expect([tz, n, older.fromMs, older.toMs! + 1]).toEqual([tz, n, null, last.fromMs]);
      }
    }
  });

  it("every range has a start before its end", () => {
    for (const range of RANGES) {
      const { fromMs, toMs } = resolveRange(range, at("2025-11-02T09:30:00Z"), "Europe/Madrid");
      expect([range, (fromMs ?? -Infinity) < toMs!]).toEqual([range, true]);
    }
  });
});

describe("range in the filter", () => {
  it("stays a name in the URL and is ignored when unknown", () => {
    expect(parseFilter(new URLSearchParams("range=last7")).range).toBe("last7");
    expect(parseFilter(new URLSearchParams("range=last8")).range).toBeNull();
  });

  it("combines with from/to: a row must satisfy both", () => {
    const filter = parseFilter(
      new URLSearchParams("range=last30&from=2025-03-20&to=2025-04-20&tz=Asia/Tokyo"),
    );
    const query = toEngagementQuery(filter, at("2025-03-31T16:00:00Z"));
    expect(new Date(query.fromMs!).toISOString()).toBe("2025-03-19T15:00:00.000Z");
    expect(new Date(query.toMs!).toISOString()).toBe("2025-04-01T14:59:59.999Z");
  });

  it("names the range and the days it means today", () => {
    const now = at("2026-11-30T12:00:00Z");
    expect(describeRange("last7", now, null)).toBe("Last 7 days · 24 Nov – 30 Nov");
    expect(describeRange("today", now, null)).toBe("Today · 30 Nov");
    expect(describeRange("olderThan30", now, null)).toBe("Older than 30 days · before 1 Nov");
    expect(describeRange("next7", now, "Asia/Tokyo")).toBe("Next 7 days · 30 Nov – 7 Dec");
    expect(describeRange("lastMonth", at("2026-01-10T12:00:00Z"), null)).toBe(
      "Last month · 1 Dec 2025 – 31 Dec 2025",
    );
  });
});
