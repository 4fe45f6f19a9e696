/**
 * `npm run db:backup [-- FILE]`: a consistent copy of the (possibly running) database. SQLite:
 * its online backup, a database file. PostgreSQL: `pg_dump -Fc`, which `pg_restore` reads.
 */
import path from "node:path";
import { getStore } from "@/db/app-store";
import { databaseTarget, type DatabaseTarget } from "@/lib/config";
import { runScript } from "./lib/run-script";

/** Beside the SQLite file, or in ./data named after the PostgreSQL database. */
function defaultDestination(target: DatabaseTarget, stamp: string) {
  if (target.engine === "sqlite") return `${target.file.replace(/\.db$/, "")}-backup-${stamp}.db`;
  const database = decodeURIComponent(new URL(target.url).pathname.slice(1)) || "postgres";
  return path.join("data", `${database}-backup-${stamp}.dump`);
}

await runScript("db:backup", async () => {
  const target = databaseTarget();
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const store = getStore();
  try {
    const { destination, bytes } = await store.backup(
      process.argv[2] ?? defaultDestination(target, stamp),
    );
    const size = (bytes / 1024 / 1024).toFixed(1);
    console.log(`Backed up ${store.describe()} to ${destination} (${size} MiB)`);
    if (target.engine === "postgres") {
      console.log(
        `Restore into an empty database with: pg_restore --no-owner -d URL ${destination}`,
      );
    }
  } finally {
    await store.close();
  }
});
