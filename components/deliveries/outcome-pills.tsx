import Link from "next/link";
import { Check } from "lucide-react";
import { DELIVERY_OUTCOMES, type DeliveryOutcome } from "@/db/models";
import { deliveriesHref, type DeliveryFilter } from "@/lib/filters";

/**
 * The log's outcome counts, each a toggle: a pill adds its outcome to those shown, or takes it
 * away again; "All" clears them. Counts leave the outcome filter out, so they stay comparable.
 */
export function OutcomePills({
  filter,
  counts,
  total,
}: {
  filter: DeliveryFilter;
  counts: Partial<Record<DeliveryOutcome, number>>;
  total: number;
}) {
  const toggled = (outcome: DeliveryOutcome) =>
    filter.outcome.includes(outcome)
      ? filter.outcome.filter((chosen) => chosen !== outcome)
      : DELIVERY_OUTCOMES.filter((o) => o === outcome || filter.outcome.includes(o));
  return (
    <nav aria-label="Outcome counts" className="mt-4 flex flex-wrap gap-2">
      <Pill
        href={deliveriesHref(filter, { outcome: [] })}
        on={filter.outcome.length === 0}
        label="All"
        count={total}
      />
      {DELIVERY_OUTCOMES.map((outcome) => (
        <Pill
          key={outcome}
          href={deliveriesHref(filter, { outcome: toggled(outcome) })}
          on={filter.outcome.includes(outcome)}
          label={outcome}
          count={counts[outcome] ?? 0}
        />
      ))}
    </nav>
  );
}

function Pill({
  href,
  on,
  label,
  count,
}: {
  href: string;
  on: boolean;
  label: string;
  count: number;
}) {
  return (
    <Link
      href={href}
      aria-current={on ? "true" : undefined}
      className={`inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-sm ${
        on
          ? "border-slate-900 bg-slate-900 text-white"
          : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"
      }`}
    >
      {on && <Check aria-hidden className="size-3.5" />}
      {label}
      <span className={`tabular-nums ${on ? "text-slate-300" : "text-slate-500"}`}>{count}</span>
    </Link>
  );
}
