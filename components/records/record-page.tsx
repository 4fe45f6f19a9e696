import Link from "next/link";
import { notFound } from "next/navigation";
import { Briefcase, Building2, User, UserRound } from "lucide-react";
import { EngagementBrowser } from "@/components/engagements/engagement-browser";
import { formatAmount } from "@/components/engagements/format";
import { BackLink } from "@/components/ui/back-link";
import { Badge } from "@/components/ui/badge";
import { REFERENCE_ROLES } from "@/db/roles";
import type { RecordModel, RefRole } from "@/db/schema";
import { formatConnection, parseFilter, recordHref } from "@/lib/filters";
import { isKnownRecord, loadRecordPage, recordRole } from "@/lib/records/load-record-page";
import { requestOrigin, requestTime } from "@/lib/request-origin";

/** What a record page adds to its model's role: an icon, and the filter its timeline is. */
const PAGE_INFO: Record<RecordModel, { icon: typeof User; timeline: string }> = {
  genericUser: { icon: UserRound, timeline: "Engagements they own" },
  genericContact: {
    icon: User,
    timeline: "Engagements with this contact",
  },
  genericCompany: {
    icon: Building2,
    timeline: "Engagements with this company",
  },
  crmOpportunity: {
    icon: Briefcase,
    timeline: "Engagements on this opportunity",
  },
};

const MODEL_INFO = Object.fromEntries(
  REFERENCE_ROLES.map(({ model, role, label }) => [model, { role, label, ...PAGE_INFO[model] }]),
) as Record<RecordModel, { role: RefRole; label: string } & (typeof PAGE_INFO)[RecordModel]>;

const SHOWN_ELSEWHERE = new Set([
  "firstName",
  "lastName",
  "name",
  "email",
  "phone",
  "amount",
  "currency",
]);

export type RecordPageProps = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

/**
 * A user, contact, company or opportunity, and its engagement timeline with the list's own
 * filters. Ids are only unique per connection: without `?connection=` an id known in several
 * connections asks which one.
 */
export async function RecordPage({ model, ...props }: RecordPageProps & { model: RecordModel }) {
  const info = MODEL_INFO[model];
  const id = (await props.params).id;
  const filter = parseFilter(await props.searchParams);
  const now = requestTime();
  const data = await loadRecordPage(model, id, filter, now);
  if (data.kind === "unknown") notFound();
  if (data.kind === "choose") {
    return (
      <div className="mx-auto w-full max-w-3xl">
        <h1 className="text-xl font-semibold">
          {info.label} {id} exists in {data.known.length} connections
        </h1>
        <p className="mt-2 text-slate-600">
          Ids are only unique within one CRM connection. Which one do you mean?
        </p>
        <ul className="mt-4 flex flex-col gap-2">
          {data.known.map(({ connection: c, name }) => (
            <li key={formatConnection(c)}>
              <Link href={recordHref(model, id, c)} className="text-sky-700 underline">
                {name ?? `${info.label} ${id}`} in {formatConnection(c)}
              </Link>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  const { record, connection, timelineFilter, timeline } = data;
  const synced = record?.synced ?? false;
  const Icon = info.icon;
  const amount = record ? formatAmount(record.fields.amount, record.fields.currency) : null;
  const extra = record
    ? Object.entries(record.fields).filter(
        ([key, value]) =>
          !SHOWN_ELSEWHERE.has(key) && ["string", "number", "boolean"].includes(typeof value),
      )
    : [];

  return (
    <>
      <BackLink href="/engagements">Engagements</BackLink>
      <header className="mb-4 flex items-start gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <span className="rounded-full bg-slate-100 p-2 text-slate-600">
          <Icon aria-hidden size={22} />
        </span>
        <div className="min-w-0">
          <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">
            {info.label} · {formatConnection(connection)}
          </p>
          <h1 className="text-xl font-semibold break-words">
            {synced && record?.name ? record.name : `${info.label} ${id}`}
          </h1>
          {!synced && (
            <p className="mt-1 text-sm text-slate-600">
              <Badge>not synced yet</Badge> Morph has not sent this {info.label.toLowerCase()} yet;
              engagements that reference it are listed below.
            </p>
          )}
          {record?.deletedAt && (
            <p className="mt-1 text-sm font-medium text-rose-700">Deleted in the CRM</p>
          )}
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
        </div>
      </header>
      <h2 className="mb-3 text-lg font-semibold">{info.timeline}</h2>
      <EngagementBrowser
        data={timeline}
        filter={timelineFilter}
        basePath={recordHref(model, id)}
        locked={[recordRole(model).filterKey]}
        hideChips={["connection"]}
        origin={await requestOrigin()}
        now={now}
      />
    </>
  );
}

/**
 * A page that has started streaming can no longer answer 404, and the timeline's counts stream.
 * The layout runs before anything is sent: an id known nowhere is a real 404.
 */
export async function RecordLayout({
  model,
  params,
  children,
}: {
  model: RecordModel;
  params: Promise<{ id: string }>;
  children: React.ReactNode;
}) {
  const id = (await params).id;
  if (!(await isKnownRecord(model, id))) notFound();
  return children;
}
