import type { ActivityDay } from "@/db/types";

/**
 * Engagements per day as bars (inline SVG, no script); each bar names its day and count.
 * Days only partly counted (past the cap) are hatched grey and say "at least".
 */
export function ActivityChart({
  days,
  tz,
  partialNote = null,
}: {
  days: ActivityDay[];
  tz?: string | null;
  /** Set when the oldest days are only partly counted: why, for the caption. */
  partialNote?: string | null;
}) {
  if (days.length === 0) return null;
  const max = Math.max(1, ...days.map((d) => d.count));
  const total = days.reduce((n, d) => n + d.count, 0);
  const width = 100 / days.length;
  return (
    <figure className="min-w-0">
      <svg
        viewBox="0 0 100 24"
        preserveAspectRatio="none"
        className="h-12 w-full"
        role="img"
        aria-label={`Engagements per day from ${days[0].day} to ${days[days.length - 1].day}: ${partialNote ? `at least ${total}, ${partialNote}` : `${total} in total`}`}
      >
        {days.map((d, i) => {
          const h = (d.count / max) * 22;
          return (
            <rect
              key={d.day}
              x={i * width + width * 0.12}
              y={24 - Math.max(h, d.count ? 1 : 0.3)}
              width={width * 0.76}
              height={Math.max(h, d.count ? 1 : 0.3)}
              className={d.partial ? "fill-slate-300" : d.count ? "fill-sky-500" : "fill-slate-200"}
            >
              <title>{`${d.day}: ${d.partial ? `at least ${d.count} (not all counted)` : d.count}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex justify-between text-xs text-slate-500">
        <span>{days[0].day}</span>
        <span data-testid="chart-caption">
          per day ({tz ?? "UTC"}){partialNote ? ` · ${partialNote}, grey days partly counted` : ""}
        </span>
        <span>{days[days.length - 1].day}</span>
      </figcaption>
    </figure>
  );
}
