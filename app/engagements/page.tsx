import type { Metadata } from "next";
import { Suspense } from "react";
import { ConnectionBanner } from "@/components/connections/connection-banner";
import { EngagementBrowser } from "@/components/engagements/engagement-browser";
import { PageHeader } from "@/components/ui/page-header";
import { loadBannerAlarms } from "@/lib/connections/load-connections";
import { loadEngagementList } from "@/lib/engagements/load-engagement-list";
import { parseFilter } from "@/lib/filters";
import { requestOrigin, requestTime } from "@/lib/request-origin";
import { inViewerZone } from "@/lib/viewer-zone";

export const metadata: Metadata = { title: "Engagements" };

export default async function EngagementsPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { filter, zone } = await inViewerZone(parseFilter(await props.searchParams));
  const now = requestTime();
  const alarms = loadBannerAlarms(now);
  return (
    <>
      <PageHeader title="Engagements" />
      <Suspense fallback={null}>
        <ConnectionBanner alarms={alarms} />
      </Suspense>
      <EngagementBrowser
        data={await loadEngagementList(filter, { now })}
        filter={filter}
        basePath="/engagements"
        origin={await requestOrigin()}
        now={now}
        zone={zone}
      />
    </>
  );
}
