import {
  CalendarDays,
  CircleHelp,
  Mail,
  Phone,
  SquareCheck,
  StickyNote,
  type LucideIcon,
} from "lucide-react";

const ICONS: Record<string, { icon: LucideIcon; label: string; tone: string }> = {
  call: { icon: Phone, label: "Call", tone: "bg-sky-100 text-sky-700" },
  meeting: { icon: CalendarDays, label: "Meeting", tone: "bg-violet-100 text-violet-700" },
  email: { icon: Mail, label: "Email", tone: "bg-amber-100 text-amber-800" },
  task: { icon: SquareCheck, label: "Task", tone: "bg-emerald-100 text-emerald-700" },
  note: { icon: StickyNote, label: "Note", tone: "bg-slate-200 text-slate-700" },
};

export function typeLabel(type: string | null) {
  return type ? (ICONS[type]?.label ?? type) : "Unknown type";
}

/** The engagement type as an icon with its name for screen readers (and a tooltip). */
export function TypeIcon({ type, size = 16 }: { type: string | null; size?: number }) {
  const entry = type ? ICONS[type] : undefined;
  const Icon = entry?.icon ?? CircleHelp;
  const label = typeLabel(type);
  return (
    <span
      className={`inline-flex shrink-0 items-center justify-center rounded-md p-1.5 ${entry?.tone ?? "bg-rose-100 text-rose-700"}`}
      title={label}
    >
      <Icon aria-hidden size={size} />
      <span className="sr-only">{label}</span>
    </span>
  );
}
