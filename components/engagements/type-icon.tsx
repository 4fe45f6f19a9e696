import {
  CalendarDays,
  CircleHelp,
  Mail,
  Phone,
  SquareCheck,
  StickyNote,
  type LucideIcon,
} from "lucide-react";
import { typeLabel, typeToneClass } from "./format";

const ICONS: Record<string, LucideIcon> = {
  call: Phone,
  meeting: CalendarDays,
  email: Mail,
  task: SquareCheck,
  note: StickyNote,
};

/** The engagement type as an icon with its name for screen readers (and a tooltip). */
export function TypeIcon({ type, size = 16 }: { type: string | null; size?: number }) {
  const Icon = (type && Object.hasOwn(ICONS, type) ? ICONS[type] : undefined) ?? CircleHelp;
  const label = typeLabel(type);
  return (
    <span className={typeToneClass(type)} title={label}>
      <Icon aria-hidden size={size} />
      <span className="sr-only">{label}</span>
    </span>
  );
}
