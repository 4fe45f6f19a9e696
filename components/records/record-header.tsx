import type { LucideIcon } from "lucide-react";
import { formatAmount } from "@/components/engagements/format";
import { Badge } from "@/components/ui/badge";
import type { Connection, RecordView } from "@/db/types";
import { formatConnection } from "@/lib/filters";

/** Fields the header shows in their own way; any other plain field is listed by its key. */
const SHOWN_ELSEWHERE = new Set([
  "firstName",
  "lastName",
  "name",
  "email",
  "phone",
  "amount",
  "currency",
]);

/** The record's name, model and connection, whether it has synced, and its fields. */
export function RecordHeader({
  id,
  label,
  icon: Icon,
  record,
  connection,
}: {
  id: string;
  label: string;
  icon: LucideIcon;
  record: RecordView | null;
  connection: Connection;
}) {
  const synced = record?.synced ?? false;
  return (
    <header className="mb-4 flex items-start gap-3 rounded-lg border border-slate-200 bg-white p-4">
      <span className="rounded-full bg-slate-100 p-2 text-slate-600">
        <Icon aria-hidden size={22} />
      </span>
      <div className="min-w-0">
        <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">
          {label} · {formatConnection(connection)}
        </p>
        <h1 className="text-xl font-semibold break-words">
          {synced && record?.name ? record.name : `${label} ${id}`}
        </h1>
        {!synced && (
          <p className="mt-1 text-sm text-slate-600">
            <Badge>not synced yet</Badge> Morph has not sent this {label.toLowerCase()} yet;
            engagements that reference it are listed below.
          </p>
        )}
        {record?.deletedAt && (
          <p className="mt-1 text-sm font-medium text-rose-700">Deleted in the CRM</p>
        )}
        <RecordFacts id={id} record={record} />
      </div>
    </header>
  );
}

function RecordFacts({ id, record }: { id: string; record: RecordView | null }) {
  const amount = record ? formatAmount(record.fields.amount, record.fields.currency) : null;
  const extra = record
    ? Object.entries(record.fields).filter(
        ([key, value]) =>
          !SHOWN_ELSEWHERE.has(key) && ["string", "number", "boolean"].includes(typeof value),
      )
    : [];
  return (
    <dl className="mt-2 flex flex-wrap gap-x-6 gap-y-1 text-sm">
      {record?.email && (
        <div>
          <dt className="sr-only">Email</dt>
          <dd>
            <a
              href={`mailto:${record.email}`}
              className="break-all text-sky-700 underline-offset-2 hover:underline"
            >
              {record.email}
            </a>
          </dd>
        </div>
      )}
      {record?.phone && (
        <div>
          <dt className="sr-only">Phone</dt>
          <dd>{record.phone}</dd>
        </div>
      )}
      {amount && (
        <div>
          <dt className="sr-only">Amount</dt>
          <dd>{amount}</dd>
        </div>
      )}
      {extra.map(([key, value]) => (
        <div key={key} className="flex gap-1">
          <dt className="text-slate-500">{key}</dt>
          <dd>{String(value)}</dd>
        </div>
      ))}
      <div className="flex gap-1">
        <dt className="text-slate-500">id</dt>
        <dd>{id}</dd>
      </div>
    </dl>
  );
}
