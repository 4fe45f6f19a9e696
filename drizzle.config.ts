import { defineConfig } from "drizzle-kit";
import { resolveDatabasePath } from "./lib/config";

export default defineConfig({
  dialect: "sqlite",
  schema: "./db/schema.ts",
  out: "./db/sqlite/migrations",
  dbCredentials: { url: resolveDatabasePath() },
});
