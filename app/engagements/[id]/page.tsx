import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EngagementDetailView } from "@/components/engagements/engagement-detail";
import { getDatabase } from "@/db/client";
import { getEngagement } from "@/db/queries/engagements";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata(props: Props): Promise<Metadata> {
  const engagement = getEngagement(getDatabase(), (await props.params).id);
  return { title: engagement?.title ?? "Engagement" };
}

export default async function EngagementPage(props: Props) {
  const engagement = getEngagement(getDatabase(), (await props.params).id);
  if (!engagement) notFound();
  return (
    <main className="mx-auto w-full max-w-5xl px-3 py-4 sm:px-6 sm:py-6">
      <nav aria-label="Breadcrumb" className="mb-3 text-sm">
        <Link href="/engagements" className="text-sky-700 underline-offset-2 hover:underline">
          ← Engagements
        </Link>
      </nav>
      <EngagementDetailView e={engagement} />
    </main>
  );
}
