import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EngagementDetailView } from "@/components/engagements/engagement-detail";
import { BackLink } from "@/components/ui/back-link";
import { loadHistoryNames } from "@/lib/engagements/history-names";
import { loadEngagementOnce } from "@/lib/engagements/load-engagement";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  const engagement = await loadEngagementOnce((await props.params).id);
  return { title: engagement?.title ?? "Engagement" };
}

export default async function EngagementPage(props: Props) {
  const engagement = await loadEngagementOnce((await props.params).id);
  if (!engagement) notFound();
  const names = await loadHistoryNames(engagement);
  return (
    <div className="mx-auto w-full max-w-5xl">
      <BackLink href="/engagements">Engagements</BackLink>
      <EngagementDetailView e={engagement} names={names} />
    </div>
  );
}
