import type { DeliveryOutcome } from "@/db/models";

export type Tone = "neutral" | "green" | "blue" | "amber" | "red" | "violet" | "slate";

const TONES: Record<Tone, string> = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-200",
  slate: "bg-slate-200 text-slate-800 ring-slate-300",
  green: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  blue: "bg-sky-50 text-sky-800 ring-sky-200",
  amber: "bg-amber-50 text-amber-900 ring-amber-200",
  red: "bg-rose-50 text-rose-800 ring-rose-200",
  violet: "bg-violet-50 text-violet-800 ring-violet-200",
};

/** A small rounded label for a type, outcome or state. */
export function Badge({
  tone = "neutral",
  children,
  title,
  className = "",
}: {
  tone?: Tone;
  children: React.ReactNode;
  title?: string;
  className?: string;
}) {
  return (
    <span
      title={title}
      className={`inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${TONES[tone]} ${className}`}
    >
      {children}
    </span>
  );
}

const OUTCOME_TONES: Record<DeliveryOutcome, Tone> = {
  applied: "green",
  unchanged: "neutral",
  stale: "amber",
  duplicate: "blue",
  conflict: "red",
  rejected: "red",
};

const OUTCOME_HINTS: Record<DeliveryOutcome, string> = {
  applied: "The snapshot was stored",
  unchanged: "Same snapshot as stored: nothing to write",
  stale: "Older than the stored snapshot: ignored",
  duplicate: "Same key, same body: the first response was replayed",
  conflict: "Same key, different body: refused with 409",
  rejected: "Refused: nothing stored, the key stays free",
};

/** A delivery outcome in its color, with what it means on hover. */
export function OutcomeBadge({ outcome }: { outcome: DeliveryOutcome }) {
  return (
    <Badge tone={OUTCOME_TONES[outcome] ?? "neutral"} title={OUTCOME_HINTS[outcome]}>
      {outcome}
    </Badge>
  );
}

/** An HTTP status, colored by class. */
export function StatusCode({ status }: { status: number }) {
  const tone = status >= 500 ? "red" : status >= 400 ? "amber" : "green";
  const color = { red: "text-rose-700", amber: "text-amber-700", green: "text-emerald-700" }[tone];
  return <span className={`font-mono text-sm tabular-nums ${color}`}>{status}</span>;
}
