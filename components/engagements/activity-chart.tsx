import type { ActivityDay } from "@/db/queries/engagements";

/** Engagements per day as bars (inline SVG, no script); each bar names its day and count. */
export function ActivityChart({ days, tz }: { days: ActivityDay[]; tz?: string | null }) {
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
        aria-label={`Engagements per day from ${days[0].day} to ${days[days.length - 1].day}: ${total} in total`}
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
              className={d.count ? "fill-sky-500" : "fill-slate-200"}
            >
              <title>{`${d.day}: ${d.count}`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="mt-1 flex justify-between text-xs text-slate-500">
        <span>{days[0].day}</span>
        <span>per day ({tz ?? "UTC"})</span>
        <span>{days[days.length - 1].day}</span>
      </figcaption>
    </figure>
  );
}
