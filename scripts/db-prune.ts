// `npm run db:prune`: drop raw bodies older than LOG_RETENTION_DAYS (default 90) from the delivery log.
import { getStore } from "@/db/app-store";
import { retentionDays } from "@/lib/config";
import { pruneDeliveryBodies } from "@/lib/maintenance";

const store = getStore();
const { pruned, olderThan } = await pruneDeliveryBodies(store);
await store.close();
console.log(
  `Pruned raw bodies of ${pruned} deliveries received before ${olderThan} (${retentionDays()} days)`,
);
