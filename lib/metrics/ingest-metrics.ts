import { StorageUnavailableError } from "@/db/errors";
import type { Store } from "@/db/store";
import type { DeliveryOutcome } from "@/db/models";
import { appMetrics } from "./registry";

/** What the webhook asks of the store: apply a delivery, or log a refusal. */
export type IngestPort = Pick<Store, "ingestDelivery" | "logRefusal">;

/**
 * The metrics of one webhook request, recorded in one place: `port` is the store as the request
 * uses it, noting what each call logged; `answered` records the answer once it is made.
 */
export function watchWebhook(store: IngestPort) {
  const started = performance.now();
  const metrics = appMetrics();
  let logged: { outcome: DeliveryOutcome; connector: string; owner: string } | null = null;
  const port: IngestPort = {
    async ingestDelivery(delivery) {
      const answer = await store.ingestDelivery(delivery);
      if (answer.ok) {
        const { connectorId, connectionOwnerId } = delivery.meta;
        logged = {
          outcome: answer.result.outcome,
          connector: connectorId,
          owner: connectionOwnerId,
        };
      }
      return answer;
    },
    async logRefusal(refusal) {
      try {
        await store.logRefusal(refusal);
      } catch (error) {
        if (error instanceof StorageUnavailableError) metrics.storageErrors.inc();
        throw error;
      }
      logged = {
        outcome: "rejected",
        connector: refusal.connectorId ?? "",
        owner: refusal.connectionOwnerId ?? "",
      };
    },
  };
  return {
    port,
    answered(response: Response) {
      metrics.ingestSeconds.observe((performance.now() - started) / 1000);
      if (logged) metrics.deliveries.inc(logged);
      if (response.status === 503) metrics.storageErrors.inc();
    },
  };
}
