import { defineConfig } from "drizzle-kit";
import { databaseTarget } from "./lib/config";

// One config, two engines: DATABASE_URL picks the dialect, each engine has its own migrations.
const target = databaseTarget();

export default target.engine === "postgres"
  ? defineConfig({
      dialect: "postgresql",
      schema: "./db/pg/schema.ts",
      out: "./db/pg/migrations",
      dbCredentials: { url: target.url },
    })
  : defineConfig({
      dialect: "sqlite",
      schema: "./db/schema.ts",
      out: "./db/sqlite/migrations",
      dbCredentials: { url: target.file },
    });
