import { databaseTarget, writerMode } from "@/lib/config";
import { createPgStore } from "./pg/store";
import { createSqliteStore } from "./sqlite/store";
import type { Store } from "./store";

const globalForStore = globalThis as unknown as { appStore?: Store };

/** The app's store for `DATABASE_URL`, opened on first use, cached on globalThis for hot reload. */
export function getStore(): Store {
  if (!globalForStore.appStore) {
    const target = databaseTarget();
    globalForStore.appStore =
      target.engine === "postgres"
        ? createPgStore({ url: target.url })
        : createSqliteStore({ file: target.file, writer: writerMode() });
  }
  return globalForStore.appStore;
}
