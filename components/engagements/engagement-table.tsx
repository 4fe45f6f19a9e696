import type { EngagementView } from "@/db/types";
import { EngagementRows } from "./engagement-rows";
import { IconSprite } from "./icon-sprite";
import { iconsOf, toListRow } from "./list-row";

/** The engagement list: the icons its rows point at, drawn once, and the rows themselves. */
export function EngagementTable({ rows }: { rows: EngagementView[] }) {
  const listRows = rows.map(toListRow);
  return (
    <div className="engagement-table">
      <IconSprite names={iconsOf(listRows)} />
      <EngagementRows rows={listRows} />
    </div>
  );
}
