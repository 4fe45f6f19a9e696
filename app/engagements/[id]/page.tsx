import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { cache } from "react";
import { EngagementDetailView } from "@/components/engagements/engagement-detail";
import { BackLink } from "@/components/ui/back-link";
import { getDatabase } from "@/db/client";
import { getEngagement } from "@/db/queries/engagements";

type Props = { params: Promise<{ id: string }> };

/** The title and the page read the same engagement: one query per request. */
const loadEngagement = cache((id: string) => getEngagement(getDatabase(), id));

export async function generateMetadata(props: Props): Promise<Metadata> {
  const engagement = loadEngagement((await props.params).id);
  return { title: engagement?.title ?? "Engagement" };
}

export default async function EngagementPage(props: Props) {
  const engagement = loadEngagement((await props.params).id);
  if (!engagement) notFound();
  return (
    <div className="mx-auto w-full max-w-5xl">
      <BackLink href="/engagements">Engagements</BackLink>
      <EngagementDetailView e={engagement} />
    </div>
  );
}
