import { typeIconName, typeLabel, typeToneClass } from "./format";
import { SPRITE_ICONS } from "./icon-sprite";

/** The engagement type as an icon with its name for screen readers (and a tooltip). */
export function TypeIcon({ type, size = 16 }: { type: string | null; size?: number }) {
  const Icon = SPRITE_ICONS[typeIconName(type)];
  const label = typeLabel(type);
  return (
    <span className={typeToneClass(type)} title={label}>
      <Icon aria-hidden size={size} />
      <span className="sr-only">{label}</span>
    </span>
  );
}
