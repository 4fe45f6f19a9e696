import { parentPort } from "node:worker_threads";
import { getDatabase } from "@/db/client";
import { summarize } from "@/db/queries/engagements";
import type { SummaryReply, SummaryRequest } from "./summary-thread";

// The list page's summarize() on its own thread and connection (see summary-thread.ts).
parentPort!.on("message", ({ id, filter, anchorMs }: SummaryRequest) => {
  let reply: SummaryReply;
  try {
    reply = { id, summary: summarize(getDatabase(), filter, anchorMs) };
  } catch (error) {
    reply = { id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  parentPort!.postMessage(reply);
});
