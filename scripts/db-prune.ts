// `npm run db:prune`: drop raw bodies older than LOG_RETENTION_DAYS (default 90) from the delivery log.
import { openDatabase } from "@/db/client";
import { resolveDatabasePath } from "@/lib/config";
import { pruneDeliveryBodies, retentionDays } from "@/lib/maintenance";

const db = openDatabase(resolveDatabasePath());
const { pruned, olderThan } = pruneDeliveryBodies(db);
db.$client.close();
console.log(
  `Pruned raw bodies of ${pruned} deliveries received before ${olderThan} (${retentionDays()} days)`,
);
