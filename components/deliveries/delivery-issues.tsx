import { TriangleAlert } from "lucide-react";
import type { DeliveryDetail } from "@/db/types";
import { Card } from "@/components/ui/card";
import { JsonBlock } from "@/components/ui/json-block";

/** The delivery's warnings and its error, each only when there is one. */
export function DeliveryIssues({ delivery }: { delivery: DeliveryDetail }) {
  return (
    <>
      {delivery.warnings.length > 0 && (
        <Card title={`Warnings (${delivery.warnings.length})`} id="warnings">
          <ul className="list-disc space-y-1 pl-5 text-sm text-amber-900">
            {delivery.warnings.map((warning, index) => (
              <li key={index}>{warning}</li>
            ))}
          </ul>
        </Card>
      )}

      {delivery.error && (
        <Card title="Error" id="error">
          <p className="flex items-start gap-2 text-sm">
            <TriangleAlert className="mt-0.5 size-4 shrink-0 text-rose-600" aria-hidden />
            <span>
              <code className="font-mono font-semibold text-rose-800">{delivery.error.code}</code>:{" "}
              {delivery.error.message}
            </span>
          </p>
          {delivery.error.details !== undefined && (
            <div className="mt-3">
              <JsonBlock value={delivery.error.details} label="details" />
            </div>
          )}
        </Card>
      )}
    </>
  );
}
