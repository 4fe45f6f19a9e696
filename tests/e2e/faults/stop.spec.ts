import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { expect, test } from "@playwright/test";
import {
  createPgTestDatabase,
  startPgCluster,
  type PgCluster,
} from "../../../scripts/lib/pg-cluster";
import { signalApp, startApp } from "../../helpers/server";
import { testEngines, type Engine } from "../../helpers/test-engines";
import { sendLoad, sleep } from "./load";

/**
 * A deploy's stop (CONTRACT "stop"): SIGTERM to the process group under load. Every delivery
 * answered 200 is stored, nothing accepted before the signal gets a 5xx, and the process is
 * gone within 10 s. On both engines.
 */
test.describe.configure({ mode: "serial" });

type EngineUnderTest = {
  key: Engine;
  name: string;
  databaseUrl: () => Promise<string>;
  storedIds: (databaseUrl: string) => Promise<Set<string>>;
  cleanup: () => void;
};

let cluster: PgCluster | null = null;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-stop-"));

const ENGINES: EngineUnderTest[] = [
  {
    key: "sqlite",
    name: "SQLite",
    databaseUrl: async () => path.join(dir, "app.db"),
    storedIds: async (file) => {
      const db = new Database(file, { readonly: true });
      try {
        const rows = db
          .prepare("select external_id from engagements where connection_owner_id = 'stop'")
          .all() as { external_id: string }[];
        return new Set(rows.map((row) => row.external_id));
      } finally {
        db.close();
      }
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  },
  {
    key: "postgres",
    name: "PostgreSQL",
    databaseUrl: async () => {
      cluster = await startPgCluster();
      return createPgTestDatabase(cluster.adminUrl, "stop");
    },
    storedIds: async (url) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const { rows } = await client.query<{ external_id: string }>(
          "select external_id from engagements where connection_owner_id = 'stop'",
        );
        return new Set(rows.map((row) => row.external_id));
      } finally {
        await client.end();
      }
    },
    cleanup: () => cluster?.destroy(),
  },
];

for (const engine of ENGINES.filter((e) => testEngines().includes(e.key))) {
  test(`SIGTERM under load on ${engine.name}: drains, stores every 200, gone within 10 s`, async () => {
    test.setTimeout(120_000);
    const databaseUrl = await engine.databaseUrl();
    try {
      const app = await startApp({
        DATABASE_URL: databaseUrl,
        WEBHOOK_ALLOW_UNSIGNED: "1",
        APP_ALLOW_PUBLIC: "1",
      });
      let stop = false;
      const load = sendLoad([app.url], "stop", 16, () => stop);
      // Long enough that every sender has had answers (the first requests warm the server up).
      await sleep(3_000);
      const exited = new Promise<number>((resolve) =>
        app.process.once("exit", () => resolve(Date.now())),
      );
      const signalledAt = Date.now();
      signalApp(app, "SIGTERM");
      const exitedAt = await exited;
      stop = true;
      const result = await load;

      expect(exitedAt - signalledAt).toBeLessThan(10_000);
      // Sent well before the signal: the server had taken it, so it was finished, not refused.
      const before = result.answers.filter((a) => a.sentAt < signalledAt - 100);
      expect(before.length).toBeGreaterThanOrEqual(16);
      expect(before.filter((a) => a.status !== 200)).toEqual([]);
      // Whatever came after was refused cleanly: a 503 or a closed connection, never a 500.
      expect(result.answers.filter((a) => a.status !== 200 && a.status !== 503)).toEqual([]);
      const stored = await engine.storedIds(databaseUrl);
      const lost = result.acknowledged.filter((id) => !stored.has(id));
      console.log(
        `stop on ${engine.name}: ${result.acknowledged.length} acknowledged, ${lost.length} lost, gone in ${exitedAt - signalledAt} ms`,
      );
      expect(lost).toEqual([]);
    } finally {
      engine.cleanup();
    }
  });
}
