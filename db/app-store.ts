import { resolveDatabasePath, writerMode } from "@/lib/config";
import { createSqliteStore } from "./sqlite/store";
import type { Store } from "./store";

const globalForStore = globalThis as unknown as { appStore?: Store };

/** The app's store, opened (and migrated) on first use, cached on globalThis for hot reload. */
export function getStore(): Store {
  globalForStore.appStore ??= createSqliteStore({
    file: resolveDatabasePath(),
    writer: writerMode(),
  });
  return globalForStore.appStore;
}
