import Link from "next/link";
import type { EngagementDetail, Ref } from "@/db/types";
import { Badge } from "@/components/ui/badge";
import { recordHref, type Connection } from "@/lib/filters";
import { DETAIL_LINK } from "./detail-link";
import { formatAmount } from "./format";

/** The owner and every record the engagement references, each linked to its record page. */
export function EngagementRefs({ e, connection }: { e: EngagementDetail; connection: Connection }) {
  return (
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
        <p className="py-1.5 text-sm text-slate-500">None</p>
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
      <Link href={recordHref(r.model, r.id, connection)} className={`font-medium ${DETAIL_LINK}`}>
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
      {r.resolved && <span className="block text-xs text-slate-500">id {r.id}</span>}
    </li>
  );
}
