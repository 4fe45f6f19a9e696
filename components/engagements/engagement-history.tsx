import Link from "next/link";
import type { FieldChange, HistoryEntry } from "@/db/types";
import { LocalTime } from "@/components/ui/local-time";
import { recordHref, type Connection } from "@/lib/filters";
import { HISTORY_FIELD_MODELS, type HistoryNames } from "@/lib/engagements/history-names";
import { DETAIL_LINK } from "./detail-link";
import { directionLabel, formatDuration, statusLabel, typeLabel } from "./format";

type Context = { names: HistoryNames; connection: Connection };

/** The anchor of version `n` (1 for the first), which a delivery's page links to. */
export const versionAnchor = (n: number) => `version-${n}`;

/** Each applied version, oldest first, as what it changed, linked to the delivery that made it. */
export function EngagementHistory({ history, ...context }: { history: HistoryEntry[] } & Context) {
  return (
    <section
      aria-labelledby="history-title"
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="history-title" className="mb-2 font-semibold">
        History
      </h2>
      {history.length === 0 ? (
        <p className="text-sm text-slate-500">No versions recorded.</p>
      ) : (
        <ol className="space-y-3 border-l-2 border-slate-200 pl-4">
          {history.map((version, i) => (
            <Version key={i} n={i + 1} version={version} {...context} />
          ))}
        </ol>
      )}
    </section>
  );
}

const ACTIONS: Record<string, string> = {
  created: "Created",
  updated: "Updated",
  deleted: "Deleted",
};

function Version({ n, version, ...context }: { n: number; version: HistoryEntry } & Context) {
  const action = version.event?.split("::")[1] ?? "";
  return (
    <li id={versionAnchor(n)} className="scroll-mt-4" data-testid="history-version">
      <p className="text-sm">
        <span className="font-medium">
          Version {n}: {ACTIONS[action] ?? version.event ?? "Applied"}
        </span>{" "}
        <span className="text-slate-600">
          · received <LocalTime value={version.receivedAt} mode="absolute" zone={false} /> ·{" "}
          {version.deliveryId === null ? (
            "no delivery (recorded from the stored state)"
          ) : (
            <Link href={`/deliveries/${version.deliveryId}`} className={DETAIL_LINK}>
              delivery {version.deliveryId}
            </Link>
          )}
        </span>
      </p>
      <ul className="mt-1 space-y-0.5 text-sm text-slate-900">
        {version.changes.map((change) => (
          <li key={change.field} data-testid="history-change">
            <ChangeLine change={change} {...context} />
          </li>
        ))}
      </ul>
    </li>
  );
}

function ChangeLine({ change, ...context }: { change: FieldChange } & Context) {
  const { field, from, to } = change;
  if (field === "deleted") {
    return <span className="font-medium">{to === true ? "deleted" : "restored"}</span>;
  }
  const label = <span className="text-slate-500">{field}</span>;
  if (Array.isArray(to) && (from === null || Array.isArray(from))) {
    return <ListChange label={label} from={from ?? []} to={to} field={field} {...context} />;
  }
  if (from === null) {
    return (
      <>
        {label} <Value field={field} value={to} {...context} />
      </>
    );
  }
  return (
    <>
      {label} <Value field={field} value={from} {...context} /> →{" "}
      <Value field={field} value={to} {...context} />
    </>
  );
}

/** A reference list: the ids it gained and lost (all of them for the first version). */
function ListChange({
  label,
  field,
  from,
  to,
  ...context
}: { label: React.ReactNode; field: string; from: unknown[]; to: unknown[] } & Context) {
  const added = to.filter((id) => !from.includes(id));
  const removed = from.filter((id) => !to.includes(id));
  const names = (ids: unknown[]) =>
    ids.map((id, i) => (
      <span key={String(id)}>
        {i > 0 && ", "}
        <Value field={field} value={id} {...context} />
      </span>
    ));
  if (from.length === 0)
    return (
      <>
        {label} {names(added)}
      </>
    );
  return (
    <>
      {label}
      {added.length > 0 && <> added {names(added)}</>}
      {added.length > 0 && removed.length > 0 && ";"}
      {removed.length > 0 && <> removed {names(removed)}</>}
    </>
  );
}

function Value({ field, value, names, connection }: { field: string; value: unknown } & Context) {
  if (value === null || value === undefined) return <span className="text-slate-400">none</span>;
  const model = HISTORY_FIELD_MODELS[field];
  if (model && typeof value === "string") {
    return (
      <Link href={recordHref(model, value, connection)} className={DETAIL_LINK}>
        {names[model]?.[value] ?? value}
      </Link>
    );
  }
  switch (field) {
    case "type":
      return <span>{typeLabel(String(value))}</span>;
    case "status":
      return <span>{statusLabel(String(value))}</span>;
    case "direction":
      return <span>{directionLabel(String(value))}</span>;
    case "duration":
      return <span>{typeof value === "number" ? formatDuration(value) : String(value)}</span>;
    case "startedAt":
    case "endedAt":
      return <LocalTime value={String(value)} mode="absolute" zone={false} />;
    default:
      return <q className="break-words">{String(value)}</q>;
  }
}
