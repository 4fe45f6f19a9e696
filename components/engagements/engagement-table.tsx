import Link from "next/link";
import { ArrowDownLeft, ArrowUpRight, TriangleAlert } from "lucide-react";
import type { EngagementView, Ref } from "@/db/queries/engagements";
import { Badge } from "@/components/ui/badge";
import { directionLabel, formatDuration, statusLabel } from "./format";
import { LocalTime } from "@/components/ui/local-time";
import { TypeIcon } from "./type-icon";

function refName(ref: Ref | null | undefined) {
  if (!ref) return null;
  return ref.name ?? ref.id;
}

function Direction({ direction }: { direction: string | null }) {
  if (!direction) return null;
  const Icon = direction === "inbound" ? ArrowDownLeft : ArrowUpRight;
  return (
    <span className="inline-flex items-center gap-1">
      <Icon aria-hidden size={14} />
      {directionLabel(direction)}
    </span>
  );
}

/** What matters per type: call duration + direction, meeting range, email direction, task status. */
function TypeDetails({ e }: { e: EngagementView }) {
  switch (e.type) {
    case "call":
      return (
        <span className="flex flex-wrap gap-x-3">
          {formatDuration(e.duration) && <span>{formatDuration(e.duration)}</span>}
          <Direction direction={e.direction} />
        </span>
      );
    case "meeting":
      return <LocalTime value={e.startedAt} mode="range" end={e.endedAt} />;
    case "email":
      return <Direction direction={e.direction} />;
    case "task":
      return <span>{statusLabel(e.status)}</span>;
    default:
      return e.status ? <span>{statusLabel(e.status)}</span> : null;
  }
}

function Unresolved({ item: r }: { item: Ref }) {
  return (
    <span className="text-slate-500" title="Not synced yet">
      {r.id}
    </span>
  );
}

function Who({ refs }: { refs: Ref[] }) {
  const first = refs[0];
  if (!first) return <span className="text-slate-400">—</span>;
  return (
    <span>
      {first.resolved ? first.name : <Unresolved item={first} />}
      {refs.length > 1 && <span className="text-slate-500"> +{refs.length - 1}</span>}
    </span>
  );
}

/** The engagement list as a semantic table; narrow screens keep type, title and when. */
export function EngagementTable({ rows }: { rows: EngagementView[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Engagements, newest first</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs tracking-wide text-slate-600 uppercase">
          <tr>
            <th scope="col" className="w-10 px-3 py-2">
              <span className="sr-only">Type</span>
            </th>
            <th scope="col" className="px-3 py-2">
              Engagement
            </th>
            <th scope="col" className="hidden px-3 py-2 md:table-cell">
              Owner
            </th>
            <th scope="col" className="hidden px-3 py-2 lg:table-cell">
              Contact · Company
            </th>
            <th scope="col" className="px-3 py-2 whitespace-nowrap">
              When
            </th>
            <th scope="col" className="hidden px-3 py-2 sm:table-cell">
              Details
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((e) => (
            <tr
              key={e.id}
              data-testid="engagement-row"
              className={e.deletedAt ? "bg-rose-50/60" : "hover:bg-slate-50"}
            >
              <td className="px-3 py-2 align-top">
                <TypeIcon type={e.type} />
              </td>
              <td className="max-w-md px-3 py-2 align-top">
                <Link
                  href={`/engagements/${e.id}`}
                  className="font-medium text-slate-900 underline-offset-2 hover:underline focus-visible:rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
                >
                  {e.title || (
                    <span className="text-slate-500 italic">Untitled {e.type ?? ""}</span>
                  )}
                </Link>
                <div className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs">
                  {e.deletedAt && (
                    <span className="rounded bg-rose-600 px-1.5 py-0.5 font-semibold text-white">
                      Deleted
                    </span>
                  )}
                  {e.warnings.length > 0 && (
                    <Badge tone="amber" title={e.warnings.join("\n")}>
                      <TriangleAlert aria-hidden size={12} />
                      {e.warnings.length} warning{e.warnings.length > 1 ? "s" : ""}
                    </Badge>
                  )}
                  <span className="text-slate-500 md:hidden">{refName(e.owner) ?? "No owner"}</span>
                </div>
              </td>
              <td className="hidden px-3 py-2 align-top md:table-cell">
                {e.owner ? (
                  e.owner.resolved ? (
                    e.owner.name
                  ) : (
                    <Unresolved item={e.owner} />
                  )
                ) : (
                  <span className="text-slate-400">—</span>
                )}
              </td>
              <td className="hidden px-3 py-2 align-top lg:table-cell">
                <div className="flex flex-col">
                  <Who refs={e.contacts} />
                  <span className="text-xs text-slate-500">
                    <Who refs={e.companies} />
                  </span>
                </div>
              </td>
              <td className="px-3 py-2 align-top whitespace-nowrap">
                <LocalTime value={e.startedAt} stacked zone={false} />
              </td>
              <td className="hidden px-3 py-2 align-top text-slate-700 sm:table-cell">
                <TypeDetails e={e} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
