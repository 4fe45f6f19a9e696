import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { seededRandom } from "../../helpers/seeded-random";
import { signalApp, startApp, stopApp } from "../../helpers/server";
import { engagementDelivery } from "./load";

/**
 * Durable before acknowledged: a server killed with SIGKILL under concurrent load, five times
 * on the same file, has every event it answered 200 for, and the log agrees with the data.
 */
test("no acknowledged event is lost across repeated SIGKILLs under load", async () => {
  test.setTimeout(240_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-crash-"));
  const databaseFile = path.join(dir, "app.db");
  const env = { DATABASE_URL: databaseFile, WEBHOOK_ALLOW_UNSIGNED: "1", APP_ALLOW_PUBLIC: "1" };
  const acknowledged: string[] = [];
  let attempted = 0;
  // When each kill lands; the seed is printed so a failing run's timings can be tried again.
  const random = seededRandom("crash timings");

  for (let round = 0; round < 5; round++) {
    const app = await startApp(env);
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const { id, body } = engagementDelivery(`crash round ${round}`);
        attempted++;
        try {
          const response = await fetch(`${app.url}/api/webhooks/morph`, {
            method: "POST",
            headers: {
              "content-type": "application/json",
              "x-conector-id": "hubspot",
              "x-owner-id": "crash",
              "x-idempotency-key": id,
            },
            body,
          });
          if (response.status === 200) acknowledged.push(id);
        } catch {
          // The server died mid-request: not acknowledged, so the sender would retry.
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    await new Promise((resolve) => setTimeout(resolve, 700 + random.next() * 800));
    signalApp(app, "SIGKILL");
    killed = true;
    await Promise.all(workers);
    // The server itself died, not just its launcher: nothing answers on its port any more.
    await expect(fetch(`${app.url}/api/health`)).rejects.toThrow();
    await stopApp(app, "SIGKILL");
  }

  // Restart once more on the same file: it must open, migrate and serve what was acknowledged.
  const app = await startApp(env);
  try {
    const db = new Database(databaseFile, { readonly: true });
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    const stored = new Set(
      (
        db
          .prepare("select external_id from engagements where connection_owner_id = 'crash'")
          .all() as {
          external_id: string;
        }[]
      ).map((row) => row.external_id),
    );
    const logged = new Set(
      (
        db.prepare("select idempotency_key from deliveries where outcome = 'applied'").all() as {
          idempotency_key: string;
        }[]
      ).map((row) => row.idempotency_key),
    );
    db.close();
    const lost = acknowledged.filter((id) => !stored.has(id) || !logged.has(id));
    console.log(
      `crash test: ${attempted} attempted, ${acknowledged.length} acknowledged, ${stored.size} stored, ${lost.length} lost`,
    );
    expect(acknowledged.length).toBeGreaterThan(50);
    expect(lost).toEqual([]);
    // The log agrees with the data: every stored engagement has its applied delivery.
    expect([...stored].filter((id) => !logged.has(id))).toEqual([]);
  } finally {
    await stopApp(app);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
