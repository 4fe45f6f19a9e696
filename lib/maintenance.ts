import type { Store } from "@/db/store";
import { retentionDays } from "@/lib/config";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Drops raw bodies (request and stored response) from log rows older than the retention period.
 * The rows stay, and so do idempotency keys with their responses, so retries still dedupe.
 */
export async function pruneDeliveryBodies(store: Store, days = retentionDays(), now = Date.now()) {
  const before = now - days * DAY_MS;
  const { pruned } = await store.pruneDeliveryBodies(before);
  return { pruned, olderThan: new Date(before).toISOString() };
}

const scheduled = globalThis as unknown as { pruneTimer?: NodeJS.Timeout };

/** Prunes raw bodies and expired sessions at start and then every six hours, without keeping the process alive. */
export function schedulePruning(store: Store) {
  if (scheduled.pruneTimer) return;
  const run = async () => {
    try {
      const { pruned } = await pruneDeliveryBodies(store);
      if (pruned > 0)
        console.log(`Pruned raw bodies of ${pruned} deliveries older than ${retentionDays()} days`);
    } catch (error) {
      console.error("pruning the delivery log failed", error);
    }
    try {
      await store.pruneSessions(Date.now());
    } catch (error) {
      console.error("pruning expired sessions failed", error);
    }
  };
  void run();
  scheduled.pruneTimer = setInterval(run, 6 * 60 * 60 * 1000);
  scheduled.pruneTimer.unref();
}
