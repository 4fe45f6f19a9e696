import { Worker } from "node:worker_threads";
import type { DeliveryAnswer, DeliveryFailure, IncomingDelivery } from "@/db/types";
import type { AppDatabase } from "../client";
import { MAX_GROUP, writeGroup } from "./group";

/** Where deliveries are written: an answer comes back only after its group has committed. */
export type DeliveryWriter = {
  submit(delivery: IncomingDelivery): Promise<DeliveryAnswer>;
  close(): Promise<void>;
};

type Pending = { delivery: IncomingDelivery; resolve: (answer: DeliveryAnswer) => void };

/** Collects what arrives within one turn of the event loop: requests that come in together share a transaction. */
function batcher(flush: (batch: Pending[]) => void) {
  let queue: Pending[] = [];
  let scheduled = false;
  const run = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    flush(batch);
  };
  return (pending: Pending) => {
    queue.push(pending);
    if (!scheduled) {
      scheduled = true;
      setImmediate(run);
    }
  };
}

/** Group commit on the calling thread (tests, `next dev`, a thread that cannot start). */
export function createInlineWriter(db: AppDatabase): DeliveryWriter {
  const enqueue = batcher((batch) => {
    for (let start = 0; start < batch.length; start += MAX_GROUP) {
      const group = batch.slice(start, start + MAX_GROUP);
      const answers = writeGroup(
        db,
        group.map((p) => p.delivery),
      );
      group.forEach((p, i) => p.resolve(answers[i]!));
    }
  });
  return {
    submit: (delivery) => new Promise((resolve) => enqueue({ delivery, resolve })),
    close: async () => {},
  };
}

export type WriterRequest = { id: number; delivery: IncomingDelivery }[];
export type WriterReply = { id: number; answer: DeliveryAnswer }[];

const WRITER_GONE: DeliveryFailure = {
  status: 503,
  code: "storage_unavailable",
  message: "The database writer restarted before confirming this delivery; retry later.",
};

/** How long a writer that died young keeps the next one from starting. */
const RESTART_BACKOFF_MS = 1_000;

export type StartWorker = (databaseFile: string) => Worker;

const startBundledWorker: StartWorker = (databaseFile) =>
  new Worker(new URL("./writer-worker.ts", import.meta.url), { workerData: { databaseFile } });

/** Wires a writer thread: its replies answer what it holds; on exit, `onExit` gets the rest. */
function attachThread(
  thread: Worker,
  onExit: (held: Pending[], ready: boolean, code: number) => void,
): Map<number, Pending> {
  const held = new Map<number, Pending>();
  let ready = false;
  thread.unref();
  thread.on("message", (reply: WriterReply) => {
    ready = true;
    for (const { id, answer } of reply) {
      held.get(id)?.resolve(answer);
      held.delete(id);
    }
  });
  thread.on("error", (error) => console.error("ingest writer thread failed", error));
  thread.on("exit", (code) => {
    onExit([...held.values()], ready, code);
    held.clear();
  });
  return held;
}

/**
 * The single writer: a thread owns the write connection, so each group's CPU and fsync run
 * beside the server's event loop. If it dies, what it held answers 503 (a retry of one that did
 * commit replays its key). One that never came up wrote nothing: all goes to `fallback`.
 */
export function createThreadWriter(
  databaseFile: string,
  {
    startWorker = startBundledWorker,
    restartBackoffMs = RESTART_BACKOFF_MS,
    fallback,
  }: { startWorker?: StartWorker; restartBackoffMs?: number; fallback?: DeliveryWriter } = {},
): DeliveryWriter {
  let worker: Worker | null = null;
  let inFlight = new Map<number, Pending>();
  let nextId = 0;
  let startedAt = 0;
  let closed = false;
  let useFallback = false;

  const toFallback = (pending: Pending) => fallback!.submit(pending.delivery).then(pending.resolve);
  const retire = (thread: Worker, held: Pending[], ready: boolean, code: number) => {
    if (worker === thread) worker = null;
    useFallback = !ready && fallback !== undefined && !closed;
    if (useFallback)
      console.error(`ingest writer thread did not start (code ${code}); writing here`);
    else if (!closed) console.error(`ingest writer thread exited (code ${code})`);
    for (const pending of held) {
      if (useFallback) toFallback(pending);
      else pending.resolve({ ok: false, error: WRITER_GONE });
    }
  };
  const spawn = () => {
    let thread: Worker;
    try {
      thread = startWorker(databaseFile);
    } catch (error) {
      console.error("ingest writer thread could not start", error);
      return null;
    }
    worker = thread;
    startedAt = Date.now();
    inFlight = attachThread(thread, (held, ready, code) => retire(thread, held, ready, code));
    return thread;
  };

  const enqueue = batcher((batch) => {
    if (useFallback) return batch.forEach(toFallback);
    // A writer that died within a second of starting is not restarted on every request.
    const thread = worker ?? (closed || Date.now() - startedAt < restartBackoffMs ? null : spawn());
    if (!thread) return batch.forEach((p) => p.resolve({ ok: false, error: WRITER_GONE }));
    const message: WriterRequest = batch.map((pending) => {
      inFlight.set(++nextId, pending);
      return { id: nextId, delivery: pending.delivery };
    });
    thread.postMessage(message);
  });

  return {
    submit: (delivery) => new Promise((resolve) => enqueue({ delivery, resolve })),
    async close() {
      closed = true;
      await worker?.terminate();
    },
  };
}
