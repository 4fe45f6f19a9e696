// `npm run db:backup [-- FILE]`: a consistent copy of the (possibly running) database.
import { openDatabase } from "@/db/client";
import { resolveDatabasePath } from "@/lib/config";
import { backupDatabase } from "@/lib/maintenance";

const source = resolveDatabasePath();
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const destination = process.argv[2] ?? source.replace(/\.db$/, "") + `-backup-${stamp}.db`;
const db = openDatabase(source);
const { bytes } = await backupDatabase(db, destination);
db.$client.close();
console.log(`Backed up ${source} to ${destination} (${(bytes / 1024 / 1024).toFixed(1)} MiB)`);
