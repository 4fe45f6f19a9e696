import type { Metadata } from "next";
import { EngagementBrowser } from "@/components/engagements/engagement-browser";
import { getDatabase } from "@/db/client";
import { parseFilter } from "@/lib/filters";
import { requestOrigin, requestTime } from "@/lib/request-origin";

export const metadata: Metadata = { title: "Engagements" };

export default async function EngagementsPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const filter = parseFilter(await props.searchParams);
  return (
    <main className="mx-auto w-full max-w-7xl px-3 py-4 sm:px-6 sm:py-6">
      <h1 className="mb-4 text-xl font-semibold">Engagements</h1>
      <EngagementBrowser
        db={getDatabase()}
        filter={filter}
        basePath="/engagements"
        origin={await requestOrigin()}
        now={requestTime()}
      />
    </main>
  );
}
