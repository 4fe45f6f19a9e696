"use client";

import { useSyncExternalStore } from "react";

const subscribe = () => () => {};
/** True in the browser after hydration, false while rendering on the server. */
function useIsClient() {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}

/** Read the clock outside render purity checks: relative times are meant to be "as of now". */
function currentTime() {
  return Date.now();
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

export function relativeTime(ms: number, now: number, locale?: string) {
  const diff = ms - now;
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return rtf.format(Math.round(diff / size), unit);
  }
  return rtf.format(0, "minute");
}

const ABSOLUTE: Intl.DateTimeFormatOptions = {
  year: "numeric",
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
};

/**
 * A moment in the viewer's own time zone. The server cannot know it, so it renders UTC
 * (labelled) and the browser swaps in local time once hydrated; the `<time>` element keeps the
 * exact instant for copy / assistive tech either way.
 */
export function LocalTime({
  iso,
  mode = "both",
  end,
}: {
  iso: string;
  /** both: "3 days ago · 6 Mar 2025, 10:05"; absolute: the date only; time: the clock time. */
  mode?: "both" | "absolute" | "range";
  /** With mode "range": the end of a meeting, shown as a time (or a date-time if another day). */
  end?: string | null;
}) {
  const isClient = useIsClient();
  const ms = Date.parse(iso);
  const tz = isClient ? undefined : "UTC";
  const fmt = (options: Intl.DateTimeFormatOptions) =>
    new Intl.DateTimeFormat(isClient ? undefined : "en-GB", { ...options, timeZone: tz });
  const absolute = fmt(ABSOLUTE).format(ms) + (isClient ? "" : " UTC");
  if (mode === "range") {
    const endMs = end ? Date.parse(end) : NaN;
    const sameDay =
      Number.isFinite(endMs) &&
      fmt({ dateStyle: "short" }).format(ms) === fmt({ dateStyle: "short" }).format(endMs);
    const endText = Number.isFinite(endMs)
      ? sameDay
        ? fmt({ hour: "2-digit", minute: "2-digit" }).format(endMs)
        : fmt(ABSOLUTE).format(endMs)
      : null;
    return (
      <time dateTime={iso} title={iso} suppressHydrationWarning>
        {fmt({ hour: "2-digit", minute: "2-digit" }).format(ms)}
        {endText ? `–${endText}` : ""}
      </time>
    );
  }
  if (mode === "absolute") {
    return (
      <time dateTime={iso} title={iso} suppressHydrationWarning>
        {absolute}
      </time>
    );
  }
  return (
    <time dateTime={iso} title={absolute} className="flex flex-col" suppressHydrationWarning>
      <span className="text-slate-900">
        {relativeTime(ms, currentTime(), isClient ? undefined : "en-GB")}
      </span>
      <span className="text-xs text-slate-500">{absolute}</span>
    </time>
  );
}
