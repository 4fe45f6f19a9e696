import type { Metadata } from "next";
import Link from "next/link";
import { SearchX } from "lucide-react";
import { DeliveryFilterForm } from "@/components/deliveries/delivery-filter-form";
import { DeliveryTable } from "@/components/deliveries/delivery-table";
import { OutcomePills } from "@/components/deliveries/outcome-pills";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { loadDeliveryLog } from "@/lib/deliveries/load-deliveries";
import { deliveriesHref, hasDeliveryFilter, parseDeliveryFilter } from "@/lib/filters";
import { inViewerZone } from "@/lib/viewer-zone";

export const metadata: Metadata = { title: "Delivery log" };

export default async function DeliveriesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { filter, zone } = await inViewerZone(parseDeliveryFilter(await searchParams));
  const { page, counts, total, matching, choices } = await loadDeliveryLog(filter);
  const filtered = hasDeliveryFilter(filter);

  return (
    <>
      <PageHeader
        title="Delivery log"
        description="Every authenticated webhook request, newest first: what arrived and what was done with it."
      />
      <DeliveryFilterForm filter={filter} choices={choices} zone={zone} />

      <OutcomePills filter={filter} counts={counts} total={total} />

      <div className="mt-4">
        {page.data.length === 0 ? (
          <div className="rounded-lg border border-slate-200 bg-white">
            {filtered || filter.cursor !== undefined ? (
              <EmptyState icon={SearchX} title="No delivery matches these filters">
                <Link
                  href={deliveriesHref({ tz: filter.tz })}
                  className="font-medium text-sky-700 hover:underline"
                >
                  Clear the filters
                </Link>
              </EmptyState>
            ) : (
              <EmptyState title="No deliveries yet">
                Point Morph at <code className="font-mono">/api/webhooks/morph?token=…</code> (the
                full URL is printed when the server starts), or run{" "}
                <code className="font-mono">npm run simulate</code>.
              </EmptyState>
            )}
          </div>
        ) : (
          <>
            <DeliveryTable rows={page.data} />
            <Pagination
              summary={`${page.data.length} shown of ${matching} matching`}
              firstHref={filter.cursor !== undefined ? deliveriesHref(filter) : null}
              nextHref={
                page.nextCursor ? deliveriesHref(filter, {}, { cursor: page.nextCursor }) : null
              }
            />
          </>
        )}
      </div>
    </>
  );
}
