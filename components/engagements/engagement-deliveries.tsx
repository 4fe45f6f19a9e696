import Link from "next/link";
import type { DeliveryTouch } from "@/db/types";
import { OutcomeBadge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { DETAIL_LINK } from "./detail-link";

/** The log rows of the deliveries that wrote this engagement, each linked to its own page. */
export function EngagementDeliveries({ deliveries }: { deliveries: DeliveryTouch[] }) {
  return (
    <section
      aria-labelledby="deliveries-title"
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <h2 id="deliveries-title" className="mb-2 font-semibold">
        Deliveries that touched it
      </h2>
      {deliveries.length === 0 ? (
        <p className="text-sm text-slate-500">None logged.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs text-slate-500 uppercase">
              <tr>
                <th scope="col" className="py-1 pr-3">
                  #
                </th>
                <th scope="col" className="py-1 pr-3">
                  Outcome
                </th>
                <th scope="col" className="py-1 pr-3">
                  Event
                </th>
                <th scope="col" className="py-1 pr-3">
                  Received
                </th>
                <th scope="col" className="hidden py-1 pr-3 sm:table-cell">
                  Idempotency key
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {deliveries.map((d) => (
                <DeliveryRow key={d.id} d={d} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function DeliveryRow({ d }: { d: DeliveryTouch }) {
  return (
    <tr data-testid="delivery-row">
      <td className="py-1.5 pr-3">
        <Link href={`/deliveries/${d.id}`} className={DETAIL_LINK}>
          {d.id}
        </Link>
      </td>
      <td className="py-1.5 pr-3">
        <OutcomeBadge outcome={d.outcome} />{" "}
        <span className="text-xs text-slate-500">{d.httpStatus}</span>
        {d.repeatCount > 0 && (
          <span className="ml-1 text-xs text-slate-500">(+{d.repeatCount} repeats)</span>
        )}
        {d.warnings.length > 0 && (
          <span className="ml-1 text-xs text-amber-800">{d.warnings.length} warning(s)</span>
        )}
      </td>
      <td className="py-1.5 pr-3 font-mono text-xs">{d.event}</td>
      <td className="py-1.5 pr-3 whitespace-nowrap">
        <LocalTime value={d.receivedAt} mode="absolute" zone={false} />
      </td>
      <td className="hidden py-1.5 pr-3 font-mono text-xs break-all sm:table-cell">
        {d.idempotencyKey}
      </td>
    </tr>
  );
}
