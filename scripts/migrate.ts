import { openDatabase } from "@/db/client";
import { resolveDatabasePath } from "@/lib/config";

const file = resolveDatabasePath();
openDatabase(file).$client.close();
console.log(`Migrated ${file}`);
