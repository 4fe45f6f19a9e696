import Link from "next/link";
import type { EngagementView, Ref } from "@/db/queries/engagements";
import { LocalTime } from "@/components/ui/local-time";
import { directionLabel, formatDuration, statusLabel } from "./format";
import { IconSprite, SpriteIcon, type SpriteName } from "./icon-sprite";
import { TypeMark, typeIconName } from "./type-icon";

// The look of the rows lives in app/globals.css (`.engagement-table`): a page of 50 rows would
// otherwise repeat the same long class lists 50 times, in the HTML and again in the RSC payload.

function refName(ref: Ref | null | undefined) {
  if (!ref) return null;
  return ref.name ?? ref.id;
}

const directionIcon = (direction: string): SpriteName =>
  direction === "inbound" ? "inbound" : "outbound";

function Direction({ direction }: { direction: string | null }) {
  if (!direction) return null;
  return (
    <span className="direction">
      <SpriteIcon name={directionIcon(direction)} className="icon-sm" />
      {directionLabel(direction)}
    </span>
  );
}

/** What matters per type: call duration + direction, meeting range, email direction, task status. */
function TypeDetails({ e }: { e: EngagementView }) {
  switch (e.type) {
    case "call":
      return (
        <span className="call-details">
          {formatDuration(e.duration) && <span>{formatDuration(e.duration)}</span>}
          <Direction direction={e.direction} />
        </span>
      );
    case "meeting":
      return <LocalTime value={e.startedAt} mode="range" end={e.endedAt} />;
    case "email":
      return <Direction direction={e.direction} />;
    case "task":
      return statusLabel(e.status);
    default:
      return e.status ? statusLabel(e.status) : null;
  }
}

function Unresolved({ item: r }: { item: Ref }) {
  return (
    <span className="text-slate-500" title="Not synced yet">
      {r.id}
    </span>
  );
}

const NONE = <span className="text-slate-400">—</span>;

function Who({ refs }: { refs: Ref[] }) {
  const first = refs[0];
  if (!first) return NONE;
  return (
    <>
      {first.resolved ? first.name : <Unresolved item={first} />}
      {refs.length > 1 && <span className="text-slate-500"> +{refs.length - 1}</span>}
    </>
  );
}

/** The sprite symbols a page of rows points at. */
function iconsOf(rows: EngagementView[]): Set<SpriteName> {
  const names = new Set<SpriteName>();
  for (const e of rows) {
    names.add(typeIconName(e.type));
    if (e.direction && (e.type === "call" || e.type === "email"))
      names.add(directionIcon(e.direction));
    if (e.warnings.length > 0) names.add("warning");
  }
  return names;
}

/** The engagement list as a semantic table; narrow screens keep type, title and when. */
export function EngagementTable({ rows }: { rows: EngagementView[] }) {
  return (
    <div className="engagement-table">
      <IconSprite names={iconsOf(rows)} />
      <table>
        <caption className="sr-only">Engagements, newest first</caption>
        <thead>
          <tr>
            <th scope="col">
              <span className="sr-only">Type</span>
            </th>
            <th scope="col">Engagement</th>
            <th scope="col">Owner</th>
            <th scope="col">Contact · Company</th>
            <th scope="col">When</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr
              key={e.id}
              data-testid="engagement-row"
              className={e.deletedAt ? "deleted" : undefined}
            >
              <td>
                <TypeMark type={e.type} />
              </td>
              <td>
                <Link href={`/engagements/${e.id}`}>
                  {e.title || (
                    <span className="text-slate-500 italic">Untitled {e.type ?? ""}</span>
                  )}
                </Link>
                <div>
                  {e.deletedAt && <span className="deleted-tag">Deleted</span>}
                  {e.warnings.length > 0 && (
                    <span className="warning-tag" title={e.warnings.join("\n")}>
                      <SpriteIcon name="warning" className="icon-xs" />
                      {e.warnings.length} warning{e.warnings.length > 1 ? "s" : ""}
                    </span>
                  )}
                  <span>{refName(e.owner) ?? "No owner"}</span>
                </div>
              </td>
              <td>
                {e.owner ? e.owner.resolved ? e.owner.name : <Unresolved item={e.owner} /> : NONE}
              </td>
              <td>
                <span>
                  <Who refs={e.contacts} />
                </span>
                <span>
                  <Who refs={e.companies} />
                </span>
              </td>
              <td>
                <LocalTime value={e.startedAt} stacked zone={false} />
              </td>
              <td>
                <TypeDetails e={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
