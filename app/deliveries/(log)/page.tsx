import type { Metadata } from "next";
import Link from "next/link";
import { SearchX } from "lucide-react";
import { DELIVERY_OUTCOMES } from "@/db/models";
import { DeliveryFilterForm } from "@/components/deliveries/delivery-filter-form";
import { DeliveryTable } from "@/components/deliveries/delivery-table";
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
  const { page, counts, total, choices } = await loadDeliveryLog(filter);
  const filtered = hasDeliveryFilter(filter);

  return (
    <>
      <PageHeader
        title="Delivery log"
        description="Every authenticated webhook request, newest first: what arrived and what was done with it."
      />
      <DeliveryFilterForm filter={filter} choices={choices} zone={zone} />

      <nav aria-label="Outcome counts" className="mt-4 flex flex-wrap gap-2">
        <OutcomeChip
          href={deliveriesHref(filter, { outcome: [] })}
          current={filter.outcome.length === 0}
          label="All"
          count={total}
        />
        {DELIVERY_OUTCOMES.map((outcome) => (
          <OutcomeChip
            key={outcome}
            href={deliveriesHref(filter, { outcome: [outcome] })}
            current={filter.outcome.length === 1 && filter.outcome[0] === outcome}
            label={outcome}
            count={counts[outcome] ?? 0}
          />
        ))}
      </nav>

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
              summary={`${page.data.length} shown of ${total} matching`}
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

function OutcomeChip({
  href,
  current,
  label,
  count,
}: {
  href: string;
  current: boolean;
  label: string;
  count: number;
}) {
  return (
    <Link
      href={href}
      aria-current={current ? "true" : undefined}
      className={`inline-flex items-center gap-1.5 rounded-full border px-3 py-1 text-sm ${
        current
          ? "border-slate-900 bg-slate-900 text-white"
          : "border-slate-300 bg-white text-slate-700 hover:bg-slate-50"
      }`}
    >
      {label}
      <span className={`tabular-nums ${current ? "text-slate-300" : "text-slate-500"}`}>
        {count}
      </span>
    </Link>
  );
}
