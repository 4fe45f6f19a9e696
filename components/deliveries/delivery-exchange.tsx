import type { DeliveryDetail } from "@/db/types";
import { Card } from "@/components/ui/card";
import { JsonBlock } from "@/components/ui/json-block";

/** The request body as received and what the sender got back. */
export function DeliveryExchange({ delivery }: { delivery: DeliveryDetail }) {
  return (
    <>
      <Card title="Request body" id="body">
        <JsonBlock value={delivery.body} label="body" />
      </Card>

      <Card
        title="Response"
        id="response"
        actions={
          delivery.httpStatus === 200 && delivery.outcome !== "duplicate" ? (
            <span className="text-xs text-slate-500">The event echoed back, as Morph expects</span>
          ) : undefined
        }
      >
        {delivery.response !== null && delivery.response === delivery.body ? (
          // The echo is byte for byte the body above: one click away, not a second wall of JSON.
          <JsonBlock value={delivery.response} label="response" collapseAboveLines={0} />
        ) : (
          <JsonBlock value={delivery.response} label="response" />
        )}
      </Card>
    </>
  );
}
