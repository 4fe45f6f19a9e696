import Link from "next/link";
import { TriangleAlert } from "lucide-react";
import type { DeliverySummary } from "@/db/types";
import { Badge, OutcomeBadge, StatusCode } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import { formatConnection } from "@/lib/filters";

/** The log as a table: one row per delivery, each opening its detail. */
export function DeliveryTable({ rows }: { rows: DeliverySummary[] }) {
  const th = "px-3 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
  const td = "px-3 py-2 align-top text-sm";
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <table className="min-w-full divide-y divide-slate-200">
        <caption className="sr-only">Webhook deliveries, newest first</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>
              #
            </th>
            <th scope="col" className={th}>
              When
            </th>
            <th scope="col" className={th}>
              Key
            </th>
            <th scope="col" className={th}>
              Event
            </th>
            <th scope="col" className={th}>
              Resource
            </th>
            <th scope="col" className={th}>
              Outcome
            </th>
            <th scope="col" className={`${th} text-right`}>
              Status
            </th>
            <th scope="col" className={`${th} text-right`}>
              Repeats
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50" data-delivery-id={row.id}>
              <td className={td}>
                <Link
                  href={`/deliveries/${row.id}`}
                  className="font-mono font-medium text-sky-700 hover:underline"
                  aria-label={`Delivery ${row.id}`}
                >
                  {row.id}
                </Link>
              </td>
              <td className={td}>
                <LocalTime value={row.receivedAt} />
              </td>
              <td className={`${td} max-w-56`}>
                <div className="truncate font-mono text-xs" title={row.idempotencyKey ?? undefined}>
                  {row.idempotencyKey ?? <span className="text-slate-500">none</span>}
                </div>
                {row.connectorId && (
                  <div className="truncate text-xs text-slate-500">
                    {formatConnection({
                      connectorId: row.connectorId,
                      connectionOwnerId: row.connectionOwnerId ?? "",
                    })}
                  </div>
                )}
              </td>
              <td className={`${td} font-mono text-xs`}>
                {row.event ?? <span className="text-slate-500">—</span>}
              </td>
              <td className={`${td} font-mono text-xs`}>
                {row.resourceId === null ? (
                  <span className="text-slate-500">—</span>
                ) : row.engagementId !== null ? (
                  <Link
                    href={`/engagements/${row.engagementId}`}
                    className="text-sky-700 hover:underline"
                  >
                    {row.resourceId}
                  </Link>
                ) : (
                  row.resourceId
                )}
              </td>
              <td className={td}>
                <span className="inline-flex flex-wrap gap-1">
                  <OutcomeBadge outcome={row.outcome} />
                  {row.warnings.length > 0 && (
                    <Badge tone="amber" title={row.warnings.join("\n")}>
                      <TriangleAlert className="size-3" aria-hidden />
                      {row.warnings.length}
                      <span className="sr-only"> warnings</span>
                    </Badge>
                  )}
                </span>
              </td>
              <td className={`${td} text-right`}>
                <StatusCode status={row.httpStatus} />
              </td>
              <td className={`${td} text-right tabular-nums`}>
                {row.repeatCount > 0 ? (
                  <span
                    className="font-medium text-sky-800"
                    title={row.lastRepeatAt ? `last ${row.lastRepeatAt}` : undefined}
                  >
                    ×{row.repeatCount}
                  </span>
                ) : (
                  <span className="text-slate-500">—</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
