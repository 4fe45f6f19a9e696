import Link from "next/link";
import { TriangleAlert } from "lucide-react";
import { LocalTime } from "@/components/ui/local-time";
import type { ConnectionAlarm } from "@/lib/connections/load-connections";
import { formatConnection } from "@/lib/filters";

const SHOWN = 3;

function Reason({ alarm }: { alarm: ConnectionAlarm }) {
  if (alarm.alarm === "troubled") {
    return `${alarm.recent.troubled} of its last ${alarm.recent.deliveries} deliveries were conflicts or rejected`;
  }
  return alarm.lastReceivedAt ? (
    <>
      silent, the last delivery arrived <LocalTime value={alarm.lastReceivedAt} />
    </>
  ) : (
    "silent, no delivery ever arrived"
  );
}

/** Above the list while a connection went silent or most of its deliveries are refused. */
export async function ConnectionBanner({ alarms }: { alarms: Promise<ConnectionAlarm[]> }) {
  const found = await alarms;
  if (found.length === 0) return null;
  return (
    <div
      role="status"
      data-testid="connection-banner"
      className="mb-4 flex items-start gap-3 rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
    >
      <TriangleAlert className="mt-0.5 size-4 shrink-0 text-amber-700" aria-hidden />
      <div>
        <ul className="space-y-0.5">
          {found.slice(0, SHOWN).map((alarm) => (
            <li key={formatConnection(alarm)}>
              <span className="font-semibold">{formatConnection(alarm)}</span>:{" "}
              <Reason alarm={alarm} />.
            </li>
          ))}
        </ul>
        {found.length > SHOWN && <p>And {found.length - SHOWN} more.</p>}
        <Link href="/connections" className="font-medium text-amber-900 underline">
          See connections
        </Link>
      </div>
    </div>
  );
}
