import type { ActivityDay } from "@/db/types";

/** Deliveries per UTC day as small bars (inline SVG, no script); each bar names its day and count. */
export function DeliverySparkline({ days, label }: { days: ActivityDay[]; label: string }) {
  if (days.length === 0) return null;
  const max = Math.max(1, ...days.map((d) => d.count));
  const total = days.reduce((n, d) => n + d.count, 0);
  const width = 100 / days.length;
  return (
    <svg
      viewBox="0 0 100 20"
      preserveAspectRatio="none"
      className="h-8 w-40"
      role="img"
      aria-label={`${label}: ${total} ${total === 1 ? "delivery" : "deliveries"} from ${days[0].day} to ${days[days.length - 1].day} (UTC days)`}
      data-testid="delivery-sparkline"
    >
      {days.map((d, i) => {
        const h = Math.max((d.count / max) * 19, d.count ? 1.5 : 0.5);
        return (
          <rect
            key={d.day}
            x={i * width + width * 0.1}
            y={20 - h}
            width={width * 0.8}
            height={h}
            className={d.count ? "fill-sky-500" : "fill-slate-200"}
          >
            <title>{`${d.day}: ${d.count}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
