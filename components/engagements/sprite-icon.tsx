/** The icons a list's sprite can hold (drawn by IconSprite in ./icon-sprite.tsx). */
export const SPRITE_NAMES = [
  "call",
  "meeting",
  "email",
  "task",
  "note",
  "unknown",
  "inbound",
  "outbound",
  "warning",
] as const;

export type SpriteName = (typeof SPRITE_NAMES)[number];

export const spriteSymbolId = (name: SpriteName) => `engagement-icon-${name}`;

/**
 * One icon from the page's IconSprite; `className` sizes it (`.icon`, `.icon-sm`, `.icon-xs`).
 * Apart from the sprite so the browser's row table can use it without the icon set.
 */
export function SpriteIcon({ name, className = "icon" }: { name: SpriteName; className?: string }) {
  return (
    <svg aria-hidden className={className}>
      <use href={`#${spriteSymbolId(name)}`} />
    </svg>
  );
}
