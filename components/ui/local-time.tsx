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

const ABSOLUTE: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZoneName: "short",
};

/** "3 hours ago", "in 2 days", from the closest sensible unit. */
export function relativeTime(ms: number, now: number, locale?: string): string {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
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
 * A timestamp in the viewer's timezone: absolute and relative text. The server does not know
 * the timezone, so it renders UTC and the browser replaces it right after hydration.
 * In "relative" mode the server renders the absolute UTC time until then.
 */
export function LocalTime({
  value,
  mode = "both",
}: {
  /** ISO string or epoch ms. */
  value: string | number;
  mode?: "both" | "absolute" | "relative";
}) {
  const now = useSyncExternalStore(subscribe, clientNow, serverNow);
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return <span>{String(value)}</span>;
  const iso = date.toISOString();
  const absolute =
    now === null
      ? new Intl.DateTimeFormat("en-GB", { ...ABSOLUTE, timeZone: "UTC" }).format(date)
      : new Intl.DateTimeFormat(undefined, ABSOLUTE).format(date);
  const full =
    now === null
      ? iso
      : new Intl.DateTimeFormat(undefined, { ...ABSOLUTE, second: "2-digit" }).format(date);
  // The server has no "now" worth showing to a reader later: relative text comes with hydration.
  const relative = now === null ? "" : relativeTime(date.getTime(), now);

  return (
    <time dateTime={iso} title={full} suppressHydrationWarning className="whitespace-nowrap">
      {(mode !== "relative" || !relative) && <span suppressHydrationWarning>{absolute}</span>}
      {mode === "both" && relative && " "}
      {mode !== "absolute" && relative && (
        <span
          suppressHydrationWarning
          className={mode === "both" ? "text-xs text-slate-500" : undefined}
        >
          {mode === "both" ? `(${relative})` : relative}
        </span>
      )}
    </time>
  );
}
