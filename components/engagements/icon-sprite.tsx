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

const SPRITE = {
  call: Phone,
  meeting: CalendarDays,
  email: Mail,
  task: SquareCheck,
  note: StickyNote,
  unknown: CircleHelp,
  inbound: ArrowDownLeft,
  outbound: ArrowUpRight,
  warning: TriangleAlert,
} satisfies Record<string, LucideIcon>;

export type SpriteName = keyof typeof SPRITE;

const symbolId = (name: SpriteName) => `engagement-icon-${name}`;

/**
 * The icons a list's rows use, each drawn once as a `<symbol>`: a row then costs a `<use>`
 * instead of a whole SVG (and lucide's client component) per icon.
 */
export function IconSprite({ names }: { names: Iterable<SpriteName> }) {
  return (
    <svg aria-hidden width="0" height="0" className="absolute">
      {[...new Set(names)].map((name) => {
        const Icon = SPRITE[name];
        return (
          <symbol key={name} id={symbolId(name)} viewBox="0 0 24 24">
            <Icon />
          </symbol>
        );
      })}
    </svg>
  );
}

/** One icon from the page's IconSprite; `className` sizes it (`.icon`, `.icon-sm`, `.icon-xs`). */
export function SpriteIcon({ name, className = "icon" }: { name: SpriteName; className?: string }) {
  return (
    <svg aria-hidden className={className}>
      <use href={`#${symbolId(name)}`} />
    </svg>
  );
}
