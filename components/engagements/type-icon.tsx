import {
  CalendarDays,
  CircleHelp,
  Mail,
  Phone,
  SquareCheck,
  StickyNote,
  type LucideIcon,
} from "lucide-react";
import { SpriteIcon, type SpriteName } from "./icon-sprite";

const TYPES: Record<string, { icon: LucideIcon; label: string }> = {
  call: { icon: Phone, label: "Call" },
  meeting: { icon: CalendarDays, label: "Meeting" },
  email: { icon: Mail, label: "Email" },
  task: { icon: SquareCheck, label: "Task" },
  note: { icon: StickyNote, label: "Note" },
};

export function typeLabel(type: string | null) {
  return type ? (TYPES[type]?.label ?? type) : "Unknown type";
}

/** The sprite symbol of a type (unknown types share one). */
export function typeIconName(type: string | null): SpriteName {
  return type && type in TYPES ? (type as SpriteName) : "unknown";
}

/** The type's tile colours (`.type-icon` and `.type-…` in app/globals.css). */
const toneClass = (type: string | null) => `type-icon type-${typeIconName(type)}`;

/** The engagement type as an icon with its name for screen readers (and a tooltip). */
export function TypeIcon({ type, size = 16 }: { type: string | null; size?: number }) {
  const Icon = (type ? TYPES[type]?.icon : undefined) ?? CircleHelp;
  const label = typeLabel(type);
  return (
    <span className={toneClass(type)} title={label}>
      <Icon aria-hidden size={size} />
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** TypeIcon for a list row: the same tile, its icon drawn from the page's sprite. */
export function TypeMark({ type }: { type: string | null }) {
  const label = typeLabel(type);
  return (
    <span className={toneClass(type)} title={label}>
      <SpriteIcon name={typeIconName(type)} />
      <span className="sr-only">{label}</span>
    </span>
  );
}
