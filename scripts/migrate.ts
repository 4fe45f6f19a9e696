import { getStore } from "@/db/store";

const store = getStore();
console.log(`Migrated ${store.describe()}`);
await store.close();
