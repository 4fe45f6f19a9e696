import { Worker } from "node:worker_threads";
import type { AppDatabase } from "@/db/client";
import { summarize, type Summary } from "@/db/queries/engagements";
import type { EngagementFilter } from "@/lib/filters";

export type SummaryRequest = { id: number; filter: EngagementFilter; anchorMs: number };
export type SummaryReply = { id: number; summary?: Summary; error?: string };

type Pending = {
  request: SummaryRequest;
  db: AppDatabase;
  resolve: (summary: Summary) => void;
  reject: (error: unknown) => void;
};

/**
 * summarize() for the list page, on a worker thread with its own connection.
 *
 * better-sqlite3 reads are synchronous. On the request's thread, a count or facet walk of tens
 * of milliseconds would hold back the bytes of the page already rendered (the rows): Next
 * writes a streamed page chunk by chunk, waiting on the socket between chunks, and a blocked
 * event loop waits with it. On the worker the walk runs beside the render, on the other core.
 *
 * Where the worker cannot run (it failed to load, or died), the summary is computed here
 * instead, a turn of the event loop after the rows: slower to first byte, never wrong.
 */
let worker: Worker | null | undefined;
let nextId = 0;
const pending = new Map<number, Pending>();

function summarizeHere({ request, db, resolve, reject }: Pending) {
  setImmediate(() => {
    try {
      resolve(summarize(db, request.filter, request.anchorMs));
    } catch (error) {
      reject(error);
    }
  });
}

function startWorker(): Worker | null {
  let started: Worker;
  try {
    started = new Worker(new URL("./summary-thread.worker.ts", import.meta.url));
  } catch (error) {
    console.error("summary worker could not start; summarizing on the request thread", error);
    return null;
  }
  let answered = false;
  // An idle worker must not keep the server process alive.
  started.unref();
  started.on("message", (reply: SummaryReply) => {
    answered = true;
    const waiting = pending.get(reply.id);
    if (!waiting) return;
    pending.delete(reply.id);
    if (reply.summary) waiting.resolve(reply.summary);
    else waiting.reject(new Error(`summary worker: ${reply.error}`));
  });
  const retire = (error: unknown) => {
    if (worker !== started) return;
    console.error("summary worker stopped; summarizing on the request thread", error);
    // A worker that never answered will not load next time either; one that did is restarted.
    worker = answered ? undefined : null;
    for (const waiting of pending.values()) summarizeHere(waiting);
    pending.clear();
  };
  started.on("error", retire);
  started.on("exit", (code) => retire(new Error(`exit code ${code}`)));
  return started;
}

export function summarizeOffThread(
  db: AppDatabase,
  filter: EngagementFilter,
  anchorMs: number,
): Promise<Summary> {
  if (worker === undefined) worker = startWorker();
  const summary = new Promise<Summary>((resolve, reject) => {
    const request: SummaryRequest = { id: ++nextId, filter, anchorMs };
    const waiting: Pending = { request, db, resolve, reject };
    if (!worker) return summarizeHere(waiting);
    pending.set(request.id, waiting);
    worker.postMessage(request);
  });
  // The parts that await it report a failure; a response cut short before they ran must not
  // turn it into an unhandled rejection that stops the server.
  summary.catch(() => {});
  return summary;
}
