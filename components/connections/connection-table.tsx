import Link from "next/link";
import { DELIVERY_OUTCOMES } from "@/db/models";
import { OutcomeBadge } from "@/components/ui/badge";
import { LocalTime } from "@/components/ui/local-time";
import type { ConnectionView } from "@/lib/connections/load-connections";
import { connectionHref, deliveriesHref, formatConnection } from "@/lib/filters";
import { ConnectionState } from "./connection-state";
import { DeliverySparkline } from "./delivery-sparkline";

const th = "px-3 py-2 text-left text-xs font-semibold tracking-wide text-slate-500 uppercase";
const td = "px-3 py-2 align-top text-sm";
const count = (n: number) => n.toLocaleString("en-US");

function When({ value }: { value: string | null }) {
  return value ? (
    <LocalTime value={value} stacked />
  ) : (
    <span className="text-slate-500">never</span>
  );
}

/** Every connection, one row each: its state, its last deliveries, what it holds and sent. */
export function ConnectionTable({ rows }: { rows: ConnectionView[] }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-xs">
      <table className="min-w-full divide-y divide-slate-200">
        <caption className="sr-only">Connections, by connector and owner</caption>
        <thead className="bg-slate-50">
          <tr>
            <th scope="col" className={th}>
              Connection
            </th>
            <th scope="col" className={th}>
              State
            </th>
            <th scope="col" className={th}>
              Last delivery
            </th>
            <th scope="col" className={th}>
              Last applied
            </th>
            <th scope="col" className={th}>
              Deliveries
            </th>
            <th scope="col" className={`${th} text-right`}>
              Engagements
            </th>
            <th scope="col" className={`${th} text-right`}>
              Records
            </th>
            <th scope="col" className={th}>
              Last 30 days
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((row) => {
            const name = formatConnection(row);
            const connection = {
              connectorId: row.connectorId,
              connectionOwnerId: row.connectionOwnerId,
            };
            return (
              <tr key={name} data-connection={name} className="hover:bg-slate-50">
                <th scope="row" className={`${td} text-left font-normal`}>
                  <div className="font-medium text-slate-900">{row.connectorId}</div>
                  <div className="text-xs break-all text-slate-600">{row.connectionOwnerId}</div>
                  <div className="mt-1 flex gap-3 text-xs">
                    <Link
                      href={connectionHref(connection)}
                      className="text-sky-700 hover:underline"
                    >
                      engagements<span className="sr-only"> of {name}</span>
                    </Link>
                    <Link
                      href={deliveriesHref({ connection })}
                      className="text-sky-700 hover:underline"
                    >
                      log<span className="sr-only"> of {name}</span>
                    </Link>
                  </div>
                </th>
                <td className={td}>
                  <ConnectionState connection={row} />
                </td>
                <td className={td}>
                  <When value={row.lastReceivedAt} />
                </td>
                <td className={td}>
                  <When value={row.lastAppliedAt} />
                </td>
                <td className={td}>
                  <div className="font-medium tabular-nums">{count(row.deliveries)}</div>
                  <div className="mt-1 flex max-w-72 flex-wrap gap-1">
                    {DELIVERY_OUTCOMES.filter((o) => row.outcomes[o] > 0).map((outcome) => (
                      <Link
                        key={outcome}
                        href={deliveriesHref({ connection, outcome: [outcome] })}
                        className="inline-flex items-center gap-1 hover:opacity-80"
                      >
                        <OutcomeBadge outcome={outcome} />
                        <span className="text-xs text-slate-700 tabular-nums">
                          {count(row.outcomes[outcome])}
                        </span>
                      </Link>
                    ))}
                  </div>
                </td>
                <td className={`${td} text-right tabular-nums`}>
                  {count(row.engagements)}
                  {row.deletedEngagements > 0 && (
                    <div className="text-xs text-slate-500">
                      +{count(row.deletedEngagements)} deleted
                    </div>
                  )}
                </td>
                <td className={`${td} text-right tabular-nums`}>{count(row.records)}</td>
                <td className={td}>
                  <DeliverySparkline days={row.perDay} label={`${name}, per day`} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
