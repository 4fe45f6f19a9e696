import { randomUUID } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import {
  createInlineWriter,
  createThreadWriter,
  type DeliveryWriter,
  type StartWorker,
} from "@/db/sqlite/ingest/writer";
import type { DeliveryAnswer } from "@/db/types";
import { readDelivery } from "@/lib/ingest/read-delivery";
import { engagementEvent } from "../helpers/morph";
import { createTempDatabase } from "../helpers/temp-db";

const temp = createTempDatabase();
afterAll(() => temp.cleanup());
const sql = temp.db.$client;

/** The writer thread from its TypeScript source (the app's build bundles it instead). */
const entry = pathToFileURL(path.resolve("db/sqlite/ingest/writer-worker.ts")).href;
const threads: Worker[] = [];
const startFromSource: StartWorker = (databaseFile) => {
  const thread = new Worker(
    `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`,
    { eval: true, workerData: { databaseFile } },
  );
  threads.push(thread);
  return thread;
};

function submitEngagement(writer: DeliveryWriter, id: string, key = randomUUID()) {
  return writer.submit(
    readDelivery(JSON.stringify(engagementEvent(id, "2025-03-06T10:00:00Z")), {
      connectorId: "hubspot",
      connectionOwnerId: "thread",
      idempotencyKey: key,
      headers: {},
      receivedAt: Date.now(),
    }),
  );
}

const isStored = (externalId: string) =>
  sql
    .prepare("select 1 from engagements where external_id = ? and connection_owner_id = 'thread'")
    .get(externalId) !== undefined;

describe("the writer thread", () => {
  it("applies deliveries on its own connection and answers each after its commit", async () => {
    const writer = createThreadWriter(temp.file, { startWorker: startFromSource });
    try {
      const ids = Array.from({ length: 40 }, (_, i) => `thread-${i}`);
      const answers = await Promise.all(ids.map((id) => submitEngagement(writer, id)));
      expect(answers.every((a) => a.ok && a.result.outcome === "applied")).toBe(true);
      // Read from another connection: acknowledged means committed.
      for (const id of ids) expect(isStored(id)).toBe(true);
    } finally {
      await writer.close();
    }
  });

  it("answers 503 for what a dead thread held, never 200, and starts a new thread", async () => {
    const writer = createThreadWriter(temp.file, {
      startWorker: startFromSource,
      restartBackoffMs: 0,
    });
    try {
      await submitEngagement(writer, "warm-up");
      const thread = threads.at(-1)!;
      const keys = Array.from({ length: 30 }, () => randomUUID());
      const pending = keys.map((key, i) => submitEngagement(writer, `killed-${i}`, key));
      await new Promise((resolve) => setImmediate(resolve));
      await thread.terminate();
      const answers: DeliveryAnswer[] = await Promise.all(pending);
      for (const [i, answer] of answers.entries()) {
        if (answer.ok) expect(isStored(`killed-${i}`)).toBe(true);
        else expect(answer.error).toMatchObject({ status: 503, code: "storage_unavailable" });
      }
      expect(answers.some((a) => !a.ok)).toBe(true);

      // The sender retries the refused ones with their keys: a new thread takes them, and a
      // delivery that had committed before the thread died is replayed, not applied twice.
      const retried = await Promise.all(
        keys.map((key, i) => submitEngagement(writer, `killed-${i}`, key)),
      );
      expect(threads.at(-1)).not.toBe(thread);
      expect(retried.every((a) => a.ok && a.result.status === 200)).toBe(true);
      for (const i of keys.keys()) expect(isStored(`killed-${i}`)).toBe(true);
      const applied = sql
        .prepare(
          "select count(*) n from deliveries where connection_owner_id = 'thread' and outcome = 'applied' and resource_id like 'killed-%'",
        )
        .get() as { n: number };
      expect(applied.n).toBe(30);
    } finally {
      await writer.close();
    }
  });

  it("writes on the calling thread when the thread cannot come up, losing nothing", async () => {
    const broken: StartWorker = () =>
      new Worker('throw new Error("no writer here")', { eval: true, stderr: true });
    const writer = createThreadWriter(temp.file, {
      startWorker: broken,
      fallback: createInlineWriter(temp.db),
    });
    try {
      const first = await Promise.all(
        Array.from({ length: 5 }, (_, i) => submitEngagement(writer, `fallback-${i}`)),
      );
      const later = await submitEngagement(writer, "fallback-later");
      for (const answer of [...first, later]) {
        expect(answer).toMatchObject({ ok: true, result: { status: 200, outcome: "applied" } });
      }
      for (const id of ["fallback-0", "fallback-4", "fallback-later"]) {
        expect(isStored(id)).toBe(true);
      }
    } finally {
      await writer.close();
    }
  });
});
