import { getStore } from "@/db/app-store";

const store = getStore();
console.log(`Migrated ${store.describe()}`);
await store.close();
