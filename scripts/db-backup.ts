// `npm run db:backup [-- FILE]`: a consistent copy of the (possibly running) database.
import { getStore } from "@/db/app-store";
import { resolveDatabasePath } from "@/lib/config";

const source = resolveDatabasePath();
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const destination = process.argv[2] ?? source.replace(/\.db$/, "") + `-backup-${stamp}.db`;
const store = getStore();
const { bytes } = await store.backup(destination);
await store.close();
console.log(`Backed up ${source} to ${destination} (${(bytes / 1024 / 1024).toFixed(1)} MiB)`);
