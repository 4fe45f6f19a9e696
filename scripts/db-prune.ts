// `npm run db:prune`: drop raw bodies older than LOG_RETENTION_DAYS (default 90) from the delivery log.
import { getStore } from "@/db/app-store";
import { retentionDays } from "@/lib/config";
import { pruneDeliveryBodies } from "@/lib/maintenance";
import { runScript } from "./lib/run-script";

await runScript("db:prune", async () => {
  const store = getStore();
  try {
    const { pruned, olderThan } = await pruneDeliveryBodies(store);
    console.log(
      `Pruned raw bodies of ${pruned} deliveries received before ${olderThan} ` +
        `(${retentionDays()} days) in ${store.describe()}`,
    );
  } finally {
    await store.close();
  }
});
