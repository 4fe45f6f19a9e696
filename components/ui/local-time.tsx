"use client";

import { useSyncExternalStore } from "react";

const TICK_MS = 30_000;
// One clock for every timestamp on the page, moved on each tick, so React sees a stable snapshot.
let clock = 0;
function subscribe(onTick: () => void) {
  // A page opened after the clock sat idle gets a fresh "now" (React re-reads it after subscribing).
  clock = Date.now();
  const timer = setInterval(() => {
    clock = Date.now();
    onTick();
  }, TICK_MS);
  return () => clearInterval(timer);
}
const clientNow = () => (clock ||= Date.now());
const serverNow = () => null;

// Every format the component uses, as constants: formatters are cached per options object.
const CLOCK_TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit" };
const ABSOLUTE: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  ...CLOCK_TIME,
};
const ABSOLUTE_ZONED: Intl.DateTimeFormatOptions = { ...ABSOLUTE, timeZoneName: "short" };
const EXACT: Intl.DateTimeFormatOptions = { ...ABSOLUTE_ZONED, second: "2-digit" };
const DAY: Intl.DateTimeFormatOptions = { dateStyle: "short" };

// Building an Intl.DateTimeFormat costs far more than formatting with one, and a list page
// formats a time or two per row: one formatter per options object and side (the viewer's
// locale and zone in the browser, en-GB in UTC on the server), kept for the process.
const formatters = new WeakMap<Intl.DateTimeFormatOptions, Intl.DateTimeFormat[]>();
function formatter(options: Intl.DateTimeFormatOptions, inBrowser: boolean) {
  let bySide = formatters.get(options);
  if (!bySide) {
    bySide = [];
    formatters.set(options, bySide);
  }
  const side = inBrowser ? 0 : 1;
  return (bySide[side] ??= inBrowser
    ? new Intl.DateTimeFormat(undefined, options)
    : new Intl.DateTimeFormat("en-GB", { ...options, timeZone: "UTC" }));
}
const relativeFormatters = new Map<string, Intl.RelativeTimeFormat>();

/** "3 hours ago", "in 2 days", from the closest sensible unit. */
export function relativeTime(ms: number, now: number, locale?: string): string {
  let rtf = relativeFormatters.get(locale ?? "");
  if (!rtf) {
    rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
    relativeFormatters.set(locale ?? "", rtf);
  }
  const seconds = Math.round((ms - now) / 1000);
  const units: [Intl.RelativeTimeFormatUnit, number][] = [
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["week", 604_800],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return rtf.format(Math.trunc(seconds / size), unit);
  }
  // A server clock a little ahead of the viewer's is still "now", not "in 20 seconds".
  return seconds > -10 && seconds < 60 ? rtf.format(0, "second") : rtf.format(seconds, "second");
}

/**
 * A moment in the viewer's own time zone. The server cannot know it, so it renders UTC
 * (labelled) and the browser swaps in local time right after hydration; the `<time>` element
 * keeps the exact instant either way. Relative text needs a "now" worth showing to a reader
 * later, so it only comes with hydration, and moves with one clock shared by the page.
 *
 * - both: "6 Mar 2025, 10:05 CET (3 days ago)", or with `stacked` the relative text above the
 *   absolute one.
 * - absolute / relative: one of the two (relative shows the absolute time until hydration).
 * - range: clock times from `value` to `end`; an end on another day shows its date too.
 */
export function LocalTime({
  value,
  mode = "both",
  stacked = false,
  zone = true,
  end,
}: {
  /** ISO string or epoch ms. */
  value: string | number;
  mode?: "both" | "absolute" | "relative" | "range";
  stacked?: boolean;
  /** Name the viewer's time zone after an absolute time (the server's UTC is always named). */
  zone?: boolean;
  /** With mode "range": the end, ISO string or epoch ms. */
  end?: string | number | null;
}) {
  const now = useSyncExternalStore(subscribe, clientNow, serverNow);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{String(value)}</span>;
  const inBrowser = now !== null;
  const format = (options: Intl.DateTimeFormatOptions, at: Date = date) =>
    formatter(options, inBrowser).format(at);
  const iso = date.toISOString();
  const title = inBrowser ? format(EXACT) : iso;

  if (mode === "range") {
    const endDate = end === null || end === undefined ? null : new Date(end);
    const hasEnd = endDate !== null && !Number.isNaN(endDate.getTime());
    const sameDay = hasEnd && format(DAY) === format(DAY, endDate);
    return (
      <time dateTime={iso} title={title} suppressHydrationWarning>
        {format(CLOCK_TIME)}
        {hasEnd && `–${format(sameDay ? CLOCK_TIME : ABSOLUTE, endDate)}`}
      </time>
    );
  }

  const absolute = format(zone || !inBrowser ? ABSOLUTE_ZONED : ABSOLUTE);
  const relative = inBrowser ? relativeTime(date.getTime(), now) : "";

  if (mode === "both" && stacked) {
    return (
      <time dateTime={iso} title={title} suppressHydrationWarning className="time-stacked">
        {/* Holds its line until hydration, so rows do not grow when the text arrives. */}
        <span suppressHydrationWarning>{relative || "\u00a0"}</span>
        <span suppressHydrationWarning>{absolute}</span>
      </time>
    );
  }
  return (
    <time dateTime={iso} title={title} suppressHydrationWarning className="whitespace-nowrap">
      {(mode !== "relative" || !relative) && <span suppressHydrationWarning>{absolute}</span>}
      {mode === "both" && relative && " "}
      {mode !== "absolute" && relative && (
        <span
          suppressHydrationWarning
          className={mode === "both" ? "text-xs text-slate-600" : undefined}
        >
          {mode === "both" ? `(${relative})` : relative}
        </span>
      )}
    </time>
  );
}
