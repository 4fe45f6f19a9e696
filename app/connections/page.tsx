import type { Metadata } from "next";
import { ConnectionTable } from "@/components/connections/connection-table";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { connectionSilenceHours } from "@/lib/config";
import { loadConnections } from "@/lib/connections/load-connections";
import { requestTime } from "@/lib/request-origin";
import { readViewerZone } from "@/lib/viewer-zone";
import { ZoneNote } from "@/components/ui/zone-note";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage() {
  const rows = await loadConnections(requestTime());
  const hours = connectionSilenceHours();
  const zone = await readViewerZone(null);
  return (
    <>
      <PageHeader
        title="Connections"
        description={
          hours > 0
            ? `Every connector and owner seen. A connection is silent after ${hours} h without a delivery, retired after 30 days.`
            : "Every connector and owner seen. Silence is not flagged (CONNECTION_SILENCE_HOURS=0)."
        }
      />
      <ZoneNote zone={zone} className="mb-3" />
      {rows.length === 0 ? (
        <div className="rounded-lg border border-slate-200 bg-white">
          <EmptyState title="No connections yet">
            A connection appears with its first webhook delivery.
          </EmptyState>
        </div>
      ) : (
        <ConnectionTable rows={rows} />
      )}
    </>
  );
}
