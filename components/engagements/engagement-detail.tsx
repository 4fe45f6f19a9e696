import Link from "next/link";
import { Trash2, TriangleAlert } from "lucide-react";
import type { EngagementDetail, Ref } from "@/db/types";
import { Badge, OutcomeBadge } from "@/components/ui/badge";
import { directionLabel, formatAmount, formatDuration, statusLabel, typeLabel } from "./format";
import { LocalTime } from "@/components/ui/local-time";
import { TypeIcon } from "./type-icon";
import { connectionHref, formatConnection, recordHref, type Connection } from "@/lib/filters";

const link =
  "text-sky-700 underline-offset-2 hover:underline focus-visible:rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600";

function RefCard({ r, connection }: { r: Ref; connection: Connection }) {
  const amount = formatAmount(r.amount, r.currency);
  const details = [
    typeof r.email === "string" ? r.email : null,
    typeof r.phone === "string" ? r.phone : null,
    amount,
    typeof r.stage === "string" ? `stage ${r.stage}` : null,
  ].filter(Boolean);
  return (
    <li className="py-1.5" data-testid={`ref-${r.model}-${r.id}`}>
      <Link href={recordHref(r.model, r.id, connection)} className={`font-medium ${link}`}>
        {r.resolved ? (r.name ?? r.id) : r.id}
      </Link>
      {!r.resolved && <Badge className="ml-2">not synced yet</Badge>}
      {r.deleted === true && (
        <Badge tone="red" className="ml-2">
          deleted
        </Badge>
      )}
      {details.length > 0 && (
        <span className="block text-sm text-slate-600">{details.join(" · ")}</span>
      )}
      {r.resolved && <span className="block text-xs text-slate-400">id {r.id}</span>}
    </li>
  );
}

function RefSection({
  title,
  refs,
  connection,
}: {
  title: string;
  refs: Ref[];
  connection: Connection;
}) {
  return (
    <div>
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">{title}</h3>
      {refs.length === 0 ? (
        <p className="py-1.5 text-sm text-slate-400">None</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {refs.map((r) => (
            <RefCard key={`${r.model}-${r.id}`} r={r} connection={connection} />
          ))}
        </ul>
      )}
    </div>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm break-words text-slate-900">
        {children ?? <span className="text-slate-400">—</span>}
      </dd>
    </div>
  );
}

/** One engagement whole: every field, its resolved references, warnings, deliveries, raw JSON. */
export function EngagementDetailView({ e }: { e: EngagementDetail }) {
  const connection = { connectorId: e.connectorId, connectionOwnerId: e.connectionOwnerId };
  return (
    <article className="flex flex-col gap-4">
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

      {e.deletedAt && (
        <div
          role="status"
          className="flex items-start gap-2 rounded-lg border border-rose-300 bg-rose-50 p-3 text-rose-900"
          data-testid="deleted-banner"
        >
          <Trash2 aria-hidden size={18} className="mt-0.5 shrink-0" />
          <p>
            <strong>Deleted in the CRM</strong> on{" "}
            <LocalTime value={e.deletedAt} mode="absolute" zone={false} />. Kept here as it was last
            received; hidden from lists unless you ask for deleted engagements.
          </p>
        </div>
      )}

      {e.warnings.length > 0 && (
        <section
          aria-labelledby="warnings-title"
          className="rounded-lg border border-amber-300 bg-amber-50 p-3 text-amber-950"
        >
          <h2 id="warnings-title" className="flex items-center gap-2 font-semibold">
            <TriangleAlert aria-hidden size={16} /> {e.warnings.length} warning
            {e.warnings.length > 1 ? "s" : ""} on the last snapshot
          </h2>
          <ul className="mt-1 list-disc pl-6 text-sm">
            {e.warnings.map((w, i) => (
              <li key={i}>{w}</li>
            ))}
          </ul>
        </section>
      )}

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
          <Fact label="Started">
            <LocalTime value={e.startedAt} mode="absolute" zone={false} />
          </Fact>
          <Fact label="Ended">
            {e.endedAt ? <LocalTime value={e.endedAt} mode="absolute" zone={false} /> : null}
          </Fact>
          <Fact label="Created in CRM">
            {e.createdAt ? <LocalTime value={e.createdAt} mode="absolute" zone={false} /> : null}
          </Fact>
          <Fact label="Updated in CRM">
            <LocalTime value={e.updatedAt} mode="absolute" zone={false} />
          </Fact>
          <Fact label="Connection">
            <Link href={connectionHref(connection)} className={link}>
              {formatConnection(connection)}
            </Link>
          </Fact>
          <Fact label="CRM id">{e.externalId}</Fact>
          <Fact label="Our id">{e.id}</Fact>
        </dl>
        <div className="mt-4">
          <h3 className="text-xs font-medium text-slate-500">Description</h3>
          <p className="mt-0.5 text-sm whitespace-pre-wrap text-slate-900">
            {e.description || <span className="text-slate-400">—</span>}
          </p>
        </div>
      </section>

      <section
        aria-labelledby="people-title"
        className="rounded-lg border border-slate-200 bg-white p-4"
      >
        <h2 id="people-title" className="mb-2 font-semibold">
          People and records
        </h2>
        <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          <RefSection title="Owner" refs={e.owner ? [e.owner] : []} connection={connection} />
          <RefSection title="Users" refs={e.users} connection={connection} />
          <RefSection title="Contacts" refs={e.contacts} connection={connection} />
          <RefSection title="Companies" refs={e.companies} connection={connection} />
          <RefSection title="Opportunities" refs={e.opportunities} connection={connection} />
        </div>
      </section>

      <section
        aria-labelledby="deliveries-title"
        className="rounded-lg border border-slate-200 bg-white p-4"
      >
        <h2 id="deliveries-title" className="mb-2 font-semibold">
          Deliveries that touched it
        </h2>
        {e.deliveries.length === 0 ? (
          <p className="text-sm text-slate-500">None logged.</p>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-slate-500 uppercase">
                <tr>
                  <th scope="col" className="py-1 pr-3">
                    #
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Outcome
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Event
                  </th>
                  <th scope="col" className="py-1 pr-3">
                    Received
                  </th>
                  <th scope="col" className="hidden py-1 pr-3 sm:table-cell">
                    Idempotency key
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {e.deliveries.map((d) => (
                  <tr key={d.id} data-testid="delivery-row">
                    <td className="py-1.5 pr-3">
                      <Link href={`/deliveries/${d.id}`} className={link}>
                        {d.id}
                      </Link>
                    </td>
                    <td className="py-1.5 pr-3">
                      <OutcomeBadge outcome={d.outcome} />{" "}
                      <span className="text-xs text-slate-500">{d.httpStatus}</span>
                      {d.repeatCount > 0 && (
                        <span className="ml-1 text-xs text-slate-500">
                          (+{d.repeatCount} repeats)
                        </span>
                      )}
                      {d.warnings.length > 0 && (
                        <span className="ml-1 text-xs text-amber-800">
                          {d.warnings.length} warning(s)
                        </span>
                      )}
                    </td>
                    <td className="py-1.5 pr-3 font-mono text-xs">{d.event}</td>
                    <td className="py-1.5 pr-3 whitespace-nowrap">
                      <LocalTime value={d.receivedAt} mode="absolute" zone={false} />
                    </td>
                    <td className="hidden py-1.5 pr-3 font-mono text-xs break-all sm:table-cell">
                      {d.idempotencyKey}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

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
