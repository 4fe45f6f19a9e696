/** Starts one throwaway PostgreSQL cluster for the run, with a migrated template database. */
import type { TestProject } from "vitest/node";
import { testEngines } from "./helpers/engines";
import { createPgTestDatabase, startPgCluster, type PgCluster } from "../scripts/lib/pg-cluster";

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string | null;
  }
}

export const PG_TEMPLATE = "app_template";

let cluster: PgCluster | null = null;

export async function setup(project: TestProject) {
  if (!testEngines().includes("postgres")) {
    project.provide("pgAdminUrl", null);
    return;
  }
  cluster = await startPgCluster();
  const templateUrl = await createPgTestDatabase(cluster.adminUrl, PG_TEMPLATE);
  const { createPgDatabase, migratePg } = await import("../db/pg/client");
  const db = createPgDatabase(templateUrl, { max: 1 });
  await migratePg(db);
  await db.$client.end();
  project.provide("pgAdminUrl", cluster.adminUrl);
}

export function teardown() {
  cluster?.destroy();
}
