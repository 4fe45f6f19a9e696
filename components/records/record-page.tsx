import { notFound } from "next/navigation";
import { Briefcase, Building2, User, UserRound, type LucideIcon } from "lucide-react";
import { EngagementBrowser } from "@/components/engagements/engagement-browser";
import { BackLink } from "@/components/ui/back-link";
import { REFERENCE_ROLES } from "@/db/roles";
import type { RecordModel, RefRole } from "@/db/models";
import { parseFilter, recordHref } from "@/lib/filters";
import { inViewerZone } from "@/lib/viewer-zone";
import { isKnownRecord, loadRecordPage, recordRole } from "@/lib/records/load-record-page";
import { requestOrigin, requestTime } from "@/lib/request-origin";
import { ConnectionChooser } from "./connection-chooser";
import { RecordHeader } from "./record-header";
import { RecordRelations } from "./record-relations";
import { RollupSwitch } from "./rollup-switch";

/** What a record page adds to its model's role: an icon, and the filter its timeline is. */
const PAGE_INFO: Record<RecordModel, { icon: LucideIcon; timeline: string }> = {
  genericUser: { icon: UserRound, timeline: "Engagements they own" },
  genericContact: {
    icon: User,
    timeline: "Engagements with this contact",
  },
  genericCompany: {
    icon: Building2,
    timeline: "Engagements with this company and its opportunities",
  },
  crmOpportunity: {
    icon: Briefcase,
    timeline: "Engagements on this opportunity",
  },
};

/** A timeline's heading when it does not roll up. */
const DIRECT_TIMELINE: Partial<Record<RecordModel, string>> = {
  genericCompany: "Engagements with this company",
};

const MODEL_INFO = Object.fromEntries(
  REFERENCE_ROLES.map(({ model, role, label }) => [model, { role, label, ...PAGE_INFO[model] }]),
) as Record<RecordModel, { role: RefRole; label: string } & (typeof PAGE_INFO)[RecordModel]>;

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
  const { filter, zone } = await inViewerZone(parseFilter(await props.searchParams));
  const now = requestTime();
  const data = await loadRecordPage(model, id, filter, now);
  if (data.kind === "unknown") notFound();
  if (data.kind === "choose") {
    return <ConnectionChooser model={model} id={id} label={info.label} known={data.known} />;
  }
  const basePath = recordHref(model, id);
  const locked = [recordRole(model).filterKey];
  const rolledUp = data.timelineFilter.rollup === true;
  return (
    <>
      <BackLink href="/engagements">Engagements</BackLink>
      <RecordHeader
        id={id}
        label={info.label}
        icon={info.icon}
        record={data.record}
        connection={data.connection}
      />
      <RecordRelations sections={data.related} connection={data.connection} />
      <h2 className="mb-3 text-lg font-semibold">
        {rolledUp ? info.timeline : (DIRECT_TIMELINE[model] ?? info.timeline)}
      </h2>
      {model === "genericCompany" && (
        <RollupSwitch basePath={basePath} filter={data.timelineFilter} locked={locked} />
      )}
      <EngagementBrowser
        data={data.timeline}
        filter={data.timelineFilter}
        basePath={basePath}
        locked={locked}
        hideChips={["connection"]}
        origin={await requestOrigin()}
        now={now}
        zone={zone}
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
