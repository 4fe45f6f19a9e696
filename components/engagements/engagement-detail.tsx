import Link from "next/link";
import { Trash2, TriangleAlert } from "lucide-react";
import type { EngagementDetail } from "@/db/types";
import { LocalTime } from "@/components/ui/local-time";
import { connectionHref, formatConnection, type Connection } from "@/lib/filters";
import { DETAIL_LINK } from "./detail-link";
import type { HistoryNames } from "@/lib/engagements/history-names";
import { EngagementDeliveries } from "./engagement-deliveries";
import { EngagementHistory } from "./engagement-history";
import { EngagementRefs } from "./engagement-refs";
import { directionLabel, formatDuration, statusLabel, typeLabel } from "./format";
import { TypeIcon } from "./type-icon";

/**
 * One engagement whole: every field, its resolved references, warnings, its history (`names`:
 * the records it mentions), deliveries, raw JSON.
 */
export function EngagementDetailView({ e, names }: { e: EngagementDetail; names: HistoryNames }) {
  const connection = { connectorId: e.connectorId, connectionOwnerId: e.connectionOwnerId };
  return (
    <article className="flex flex-col gap-4">
      <DetailHeader e={e} />
      {e.deletedAt && <DeletedBanner deletedAt={e.deletedAt} />}
      {e.warnings.length > 0 && <Warnings warnings={e.warnings} />}
      <FieldsSection e={e} connection={connection} />
      <EngagementRefs e={e} connection={connection} />
      <EngagementHistory history={e.history} names={names} connection={connection} />
      <EngagementDeliveries deliveries={e.deliveries} />
      <details className="rounded-lg border border-slate-200 bg-white p-4">
        <summary className="cursor-pointer font-semibold focus-visible:outline-2 focus-visible:outline-sky-600">
          Raw fields as received (JSON)
        </summary>
        <pre className="mt-3 max-h-[32rem] overflow-auto rounded bg-slate-900 p-3 text-xs text-slate-100">
          {JSON.stringify(e.fields, null, 2)}
        </pre>
      </details>
    </article>
  );
}

function DetailHeader({ e }: { e: EngagementDetail }) {
  return (
    <header className="flex items-start gap-3">
      <TypeIcon type={e.type} size={20} />
      <div className="min-w-0">
        <h1 className="text-xl font-semibold break-words">
          {e.title || `Untitled ${typeLabel(e.type).toLowerCase()}`}
        </h1>
        <p className="text-sm text-slate-600">
          {typeLabel(e.type)} · {statusLabel(e.status)}
          {e.direction ? ` · ${directionLabel(e.direction)}` : ""} ·{" "}
          <LocalTime value={e.startedAt} mode="absolute" zone={false} />
        </p>
      </div>
    </header>
  );
}

function DeletedBanner({ deletedAt }: { deletedAt: string }) {
  return (
    <div
      role="status"
      className="flex items-start gap-2 rounded-lg border border-rose-300 bg-rose-50 p-3 text-rose-900"
      data-testid="deleted-banner"
    >
      <Trash2 aria-hidden size={18} className="mt-0.5 shrink-0" />
      <p>
        <strong>Deleted in the CRM</strong> on{" "}
        <LocalTime value={deletedAt} mode="absolute" zone={false} />. Kept here as it was last
        received; hidden from lists unless you ask for deleted engagements.
      </p>
    </div>
  );
}

function Warnings({ warnings }: { warnings: string[] }) {
  return (
    <section
      aria-labelledby="warnings-title"
      className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950"
    >
      <h2 id="warnings-title" className="flex items-center gap-2 font-semibold">
        <TriangleAlert aria-hidden size={16} /> {warnings.length} warning
        {warnings.length > 1 ? "s" : ""} on the last snapshot
      </h2>
      <ul className="mt-1 list-disc pl-6 text-sm">
        {warnings.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
    </section>
  );
}

function FieldsSection({ e, connection }: { e: EngagementDetail; connection: Connection }) {
  const time = (value: string | null) =>
    value ? <LocalTime value={value} mode="absolute" zone={false} /> : null;
  return (
    <section
      aria-labelledby="fields-title"
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="fields-title" className="sr-only">
        Fields
      </h2>
      <dl className="grid grid-cols-2 gap-x-4 gap-y-3 sm:grid-cols-3 lg:grid-cols-4">
        <Fact label="Type">{typeLabel(e.type)}</Fact>
        <Fact label="Status">{e.status ? statusLabel(e.status) : null}</Fact>
        <Fact label="Direction">{e.direction ? directionLabel(e.direction) : null}</Fact>
        <Fact label="Duration">{formatDuration(e.duration)}</Fact>
        <Fact label="Started">{time(e.startedAt)}</Fact>
        <Fact label="Ended">{time(e.endedAt)}</Fact>
        <Fact label="Created in CRM">{time(e.createdAt)}</Fact>
        <Fact label="Updated in CRM">{time(e.updatedAt)}</Fact>
        <Fact label="Connection">
          <Link href={connectionHref(connection)} className={DETAIL_LINK}>
            {formatConnection(connection)}
          </Link>
        </Fact>
        <Fact label="CRM id">{e.externalId}</Fact>
        <Fact label="Our id">{e.id}</Fact>
      </dl>
      <div className="mt-4">
        <h3 className="text-xs font-medium text-slate-500">Description</h3>
        <p className="mt-0.5 text-sm whitespace-pre-wrap text-slate-900">
          {e.description || <span className="text-slate-500">—</span>}
        </p>
      </div>
    </section>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm break-words text-slate-900">
        {children ?? <span className="text-slate-500">—</span>}
      </dd>
    </div>
  );
}
