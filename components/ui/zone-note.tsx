import { Globe } from "lucide-react";
import type { ViewerZone } from "@/lib/viewer-zone";

/** Which zone the page's days are in; without the browser's (no JavaScript), that it is UTC. */
export function ZoneNote({ zone, className = "" }: { zone: ViewerZone; className?: string }) {
  return (
    <p className={`flex items-center gap-1.5 text-xs text-slate-600 ${className}`}>
      <Globe className="size-3.5" aria-hidden />
      {zone.known ? (
        <span>Dates in {zone.tz}</span>
      ) : (
        <span>Dates in UTC: your browser&apos;s time zone is used once JavaScript runs.</span>
      )}
    </p>
  );
}
