// `npm run db:migrate`: applies pending migrations to DATABASE_URL's database, SQLite or PostgreSQL.
import { getStore } from "@/db/app-store";
import { runScript } from "./lib/run-script";

await runScript("db:migrate", async () => {
  const store = getStore();
  try {
    // A store migrates before its first answer: SQLite as the file opens, PostgreSQL through
    // migratePg under its advisory lock, so this may run beside live app processes.
    await store.checkHealth();
    console.log(`Migrated ${store.describe()}`);
  } finally {
    await store.close();
  }
});
