/**
 * The writer thread (see `createThreadWriter`): owns the write connection and applies whatever
 * has queued up since its last commit as one group, then answers each delivery.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../client";
import { MAX_GROUP, writeGroup } from "./group";
import type { WriterReply, WriterRequest } from "./writer";

const port = parentPort!;
const db = openDatabase((workerData as { databaseFile: string }).databaseFile);
// An empty reply says the thread is up and holds the connection.
port.postMessage([] satisfies WriterReply);

const queue: WriterRequest = [];
let scheduled = false;

// Messages that arrived while a group was being written are all delivered before the
// setImmediate runs, so they form the next group.
function drain() {
  scheduled = false;
  const taken = queue.splice(0, MAX_GROUP);
  const answers = writeGroup(
    db,
    taken.map((request) => request.delivery),
  );
  const reply: WriterReply = taken.map((request, i) => ({ id: request.id, answer: answers[i]! }));
  port.postMessage(reply);
  if (queue.length > 0) schedule();
}

function schedule() {
  if (!scheduled) {
    scheduled = true;
    setImmediate(drain);
  }
}

port.on("message", (requests: WriterRequest) => {
  for (const request of requests) queue.push(request);
  schedule();
});
