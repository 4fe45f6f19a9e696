"use client";

import Link from "next/link";
import { LocalTime } from "@/components/ui/local-time";
import {
  directionLabel,
  formatDuration,
  statusLabel,
  typeIconName,
  typeLabel,
  typeToneClass,
} from "./format";
import { directionIcon, type ListRow, type RowRef } from "./list-row";
import { SpriteIcon } from "./sprite-icon";

// A client component so that a page of rows crosses the RSC payload as data (ListRow) rather
// than as element trees: the server renders them once, to HTML, instead of three times.
// The look of the rows lives in app/globals.css (`.engagement-table`).

function Direction({ direction }: { direction: string | undefined }) {
  if (!direction) return null;
  return (
    <span className="direction">
      <SpriteIcon name={directionIcon(direction)} className="icon-sm" />
      {directionLabel(direction)}
    </span>
  );
}

/** What matters per type: call duration + direction, meeting range, email direction, task status. */
function TypeDetails({ row }: { row: ListRow }) {
  switch (row.type) {
    case "call": {
      const duration = formatDuration(row.duration ?? null);
      return (
        <span className="call-details">
          {duration && <span>{duration}</span>}
          <Direction direction={row.direction} />
        </span>
      );
    }
    case "meeting":
      return <LocalTime value={row.startedAt} mode="range" end={row.endedAt} />;
    case "email":
      return <Direction direction={row.direction} />;
    case "task":
      return statusLabel(row.status ?? null);
    default:
      return row.status ? statusLabel(row.status) : null;
  }
}

function Unresolved({ item }: { item: RowRef }) {
  return (
    <span className="text-slate-500" title="Not synced yet">
      {item.id}
    </span>
  );
}

const NONE = <span className="text-slate-500">—</span>;

function Who({ first, more }: { first: RowRef | null; more: number | undefined }) {
  if (!first) return NONE;
  return (
    <>
      {first.resolved ? first.name : <Unresolved item={first} />}
      {more ? <span className="text-slate-500"> +{more}</span> : null}
    </>
  );
}

function TypeMark({ type }: { type: string | null }) {
  const label = typeLabel(type);
  return (
    <span className={typeToneClass(type)} title={label}>
      <SpriteIcon name={typeIconName(type)} />
      <span className="sr-only">{label}</span>
    </span>
  );
}

/** The engagement list as a semantic table; narrow screens keep type, title and when. */
export function EngagementRows({ rows }: { rows: ListRow[] }) {
  return (
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
        {rows.map((row) => (
          <tr key={row.id} data-testid="engagement-row" className={row.deleted && "deleted"}>
            <td>
              <TypeMark type={row.type} />
            </td>
            <td>
              <Link href={`/engagements/${row.id}`}>
                {row.title || (
                  <span className="text-slate-500 italic">Untitled {row.type ?? ""}</span>
                )}
              </Link>
              <div>
                {row.deleted && <span className="deleted-tag">Deleted</span>}
                {row.warnings && (
                  <span className="warning-tag" title={row.warnings.join("\n")}>
                    <SpriteIcon name="warning" className="icon-xs" />
                    {row.warnings.length} warning{row.warnings.length > 1 ? "s" : ""}
                  </span>
                )}
                <span>{row.owner ? (row.owner.name ?? row.owner.id) : "No owner"}</span>
                {row.via?.map((o) => (
                  <Link key={o.href} href={o.href} className="via-tag">
                    via {o.name}
                  </Link>
                ))}
              </div>
            </td>
            <td>
              {row.owner ? (
                row.owner.resolved ? (
                  row.owner.name
                ) : (
                  <Unresolved item={row.owner} />
                )
              ) : (
                NONE
              )}
            </td>
            <td>
              <span>
                <Who first={row.contact} more={row.moreContacts} />
              </span>
              <span>
                <Who first={row.company} more={row.moreCompanies} />
              </span>
            </td>
            <td>
              <LocalTime value={row.startedAt} stacked zone={false} />
            </td>
            <td>
              <TypeDetails row={row} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
