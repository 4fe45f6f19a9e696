import type { DeliveryDetail } from "@/db/types";
import { Card } from "@/components/ui/card";

const REPROCESS_ERRORS: Record<string, string> = {
  body_unavailable:
    "This delivery has no stored body (too large, or pruned), so it cannot be applied again.",
  connection_unknown: "This delivery did not say which connection it came from.",
  not_reprocessable: "Only rejected or conflicting deliveries can be reprocessed.",
};

/** Re-apply a refused or conflicting delivery through the same rules; it gets its own log row. */
export function DeliveryReprocess({
  delivery,
  error,
}: {
  delivery: DeliveryDetail;
  error?: string;
}) {
  if (delivery.outcome !== "rejected" && delivery.outcome !== "conflict") return null;
  return (
    <Card title="Reprocess" id="reprocess">
      <p className="text-sm text-slate-600">
        Apply this delivery&apos;s body again, as if it had just arrived: validation, ordering and
        tombstones apply, and the attempt gets a log row of its own. Reprocessing it twice applies
        it once.
      </p>
      {error ? (
        <p role="status" className="mt-2 text-sm text-rose-700">
          {REPROCESS_ERRORS[error] ?? "It could not be reprocessed."}
        </p>
      ) : null}
      <form method="post" action={`/api/deliveries/${delivery.id}/reprocess`} className="mt-3">
        <button
          type="submit"
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 focus-visible:outline-2 focus-visible:outline-offset-2"
        >
          Reprocess delivery
        </button>
      </form>
    </Card>
  );
}
