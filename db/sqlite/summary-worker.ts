/** The summary thread (see `createSummaryThread`): summaries on a connection of its own. */
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "./client";
import { createReadContext } from "./queries/engagements/context";
import { summarize } from "./queries/engagements/summary";
import type { SummaryReply, SummaryRequest, SummaryWorkerData } from "./summary-thread";

const { databaseFile, tuning } = workerData as SummaryWorkerData;
const db = openDatabase(databaseFile);

parentPort!.on("message", ({ id, query, chart }: SummaryRequest) => {
  let reply: SummaryReply;
  try {
    reply = { id, summary: summarize(createReadContext(db, query, tuning), chart) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(reply);
});
