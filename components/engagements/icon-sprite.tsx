import {
  ArrowDownLeft,
  ArrowUpRight,
  CalendarDays,
  CircleHelp,
  Mail,
  Phone,
  SquareCheck,
  StickyNote,
  TriangleAlert,
  type LucideIcon,
} from "lucide-react";
import { spriteSymbolId, type SpriteName } from "./sprite-icon";

/** Each sprite symbol's icon; TypeIcon draws the same ones whole. */
export const SPRITE_ICONS = {
  call: Phone,
  meeting: CalendarDays,
  email: Mail,
  task: SquareCheck,
  note: StickyNote,
  unknown: CircleHelp,
  inbound: ArrowDownLeft,
  outbound: ArrowUpRight,
  warning: TriangleAlert,
} satisfies Record<SpriteName, LucideIcon>;

/**
 * The icons a list's rows use, each drawn once as a `<symbol>`: a row then costs a `<use>`
 * (SpriteIcon, ./sprite-icon.tsx) instead of a whole SVG per icon.
 */
export function IconSprite({ names }: { names: Iterable<SpriteName> }) {
  return (
    <svg aria-hidden width="0" height="0" className="absolute">
      {[...new Set(names)].map((name) => {
        const Icon = SPRITE_ICONS[name];
        return (
          <symbol key={name} id={spriteSymbolId(name)} viewBox="0 0 24 24">
            <Icon />
          </symbol>
        );
      })}
    </svg>
  );
}
