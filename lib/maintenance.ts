import fs from "node:fs";
import path from "node:path";
import { and, isNotNull, lt } from "drizzle-orm";
import type { AppDatabase } from "@/db/client";
import { deliveries } from "@/db/schema";

const DAY_MS = 24 * 60 * 60 * 1000;

export function retentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const days = Number(env.LOG_RETENTION_DAYS);
  return Number.isFinite(days) && days > 0 ? days : 90;
}

/**
 * Drops raw bodies (request and stored response) from log rows older than the retention period.
 * The rows stay, and so do idempotency keys with their responses, so retries still dedupe.
 */
export function pruneDeliveryBodies(db: AppDatabase, days = retentionDays(), now = Date.now()) {
  const result = db
    .update(deliveries)
    .set({ body: null, responseBody: null })
    .where(and(lt(deliveries.receivedAt, now - days * DAY_MS), isNotNull(deliveries.body)))
    .run();
  return { pruned: result.changes, olderThan: new Date(now - days * DAY_MS).toISOString() };
}

/** A consistent copy of a live database through SQLite's online backup API. */
export async function backupDatabase(db: AppDatabase, destination: string) {
  fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
  await db.$client.backup(destination);
  return { destination: path.resolve(destination), bytes: fs.statSync(destination).size };
}

const scheduled = globalThis as unknown as { pruneTimer?: NodeJS.Timeout };

/** Prunes at start and then every six hours, without keeping the process alive. */
export function schedulePruning(db: AppDatabase) {
  if (scheduled.pruneTimer) return;
  const run = () => {
    try {
      const { pruned } = pruneDeliveryBodies(db);
      if (pruned > 0)
        console.log(`Pruned raw bodies of ${pruned} deliveries older than ${retentionDays()} days`);
    } catch (error) {
      console.error("pruning the delivery log failed", error);
    }
  };
  run();
  scheduled.pruneTimer = setInterval(run, 6 * 60 * 60 * 1000);
  scheduled.pruneTimer.unref();
}
