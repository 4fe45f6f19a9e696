import { Worker } from "node:worker_threads";
import type { ActivityWindow, EngagementQuery, Summary } from "@/db/types";
import type { ReadTuning } from "./queries/engagements/context";

export type SummaryRequest = { id: number; query: EngagementQuery; chart: ActivityWindow };
export type SummaryReply = { id: number; summary?: Summary; error?: string };
export type SummaryWorkerData = { databaseFile: string; tuning: ReadTuning };

type Summarize = (query: EngagementQuery, chart: ActivityWindow) => Summary;
type Pending = {
  request: SummaryRequest;
  resolve: (summary: Summary) => void;
  reject: (error: unknown) => void;
};

/** A summary on this thread, a turn of the event loop after the rows. */
function summarizeLater(summarizeHere: Summarize, { request, resolve, reject }: Pending) {
  setImmediate(() => {
    try {
      resolve(summarizeHere(request.query, request.chart));
    } catch (error) {
      reject(error);
    }
  });
}

/** A worker's reply settles the request it answers. */
function settle(pending: Map<number, Pending>, reply: SummaryReply) {
  const waiting = pending.get(reply.id);
  if (!waiting) return;
  pending.delete(reply.id);
  if (reply.summary) waiting.resolve(reply.summary);
  else waiting.reject(new Error(`summary worker: ${reply.error}`));
}

/**
 * The list page's summary on a worker thread with its own connection.
 *
 * better-sqlite3 reads are synchronous. On the request's thread, a count or facet walk of tens
 * of milliseconds would hold back the bytes of the page already rendered (the rows): Next
 * writes a streamed page chunk by chunk, waiting on the socket between chunks, and a blocked
 * event loop waits with it. On the worker the walk runs beside the render, on the other core.
 *
 * Where the worker cannot run (it failed to load, or died), the summary is computed here
 * instead, a turn of the event loop after the rows: slower to first byte, never wrong.
 */
export function createSummaryThread(workerData: SummaryWorkerData, summarizeHere: Summarize) {
  let worker: Worker | null | undefined;
  let nextId = 0;
  const pending = new Map<number, Pending>();

  const here = (waiting: Pending) => summarizeLater(summarizeHere, waiting);

  const start = (): Worker | null => {
    let started: Worker;
    try {
      started = new Worker(new URL("./summary-worker.ts", import.meta.url), { workerData });
    } catch (error) {
      console.error("summary worker could not start; summarizing on the request thread", error);
      return null;
    }
    let answered = false;
    // An idle worker must not keep the server process alive.
    started.unref();
    started.on("message", (reply: SummaryReply) => {
      answered = true;
      settle(pending, reply);
    });
    const retire = (error: unknown) => {
      if (worker !== started) return;
      console.error("summary worker stopped; summarizing on the request thread", error);
      // A worker that never answered will not load next time either; one that did is restarted.
      worker = answered ? undefined : null;
      for (const waiting of pending.values()) here(waiting);
      pending.clear();
    };
    started.on("error", retire);
    started.on("exit", (code) => retire(new Error(`exit code ${code}`)));
    return started;
  };

  return {
    summarize(query: EngagementQuery, chart: ActivityWindow): Promise<Summary> {
      if (worker === undefined) worker = start();
      return new Promise<Summary>((resolve, reject) => {
        const request: SummaryRequest = { id: ++nextId, query, chart };
        const waiting: Pending = { request, resolve, reject };
        if (!worker) return here(waiting);
        pending.set(request.id, waiting);
        worker.postMessage(request);
      });
    },
    async close() {
      const stopping = worker;
      worker = null;
      await stopping?.terminate();
    },
  };
}
