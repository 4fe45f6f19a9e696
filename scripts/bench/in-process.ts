/**
 * `npx tsx scripts/bench/in-process.ts [--deliveries N] [--rounds R]`: the ingest benchmark's
 * in-process part alone (ingest() and the raw-SQL floor on this thread, no HTTP), in a minute
 * or two instead of `npm run bench`'s half hour, to compare two checkouts back to back. CPU ms
 * per delivery, median of R rounds (each side on a fresh file, the two in turn), for the
 * benchmark's creates and for updates of engagements already stored (status and title changed),
 * with synchronous=OFF (the logic alone) and FULL in groups of 10 (the writer's group commit).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createRawGroup, createRawIngest } from "../lib/raw-ingest";
import { ingestGroup, ingestOne, openDatabase, type Delivery } from "./app";
import { median, pairedRatio, round3 } from "./harness";
import { createPayloads, deliveriesFrom } from "./payloads";

const { values: args } = parseArgs({
  options: {
    deliveries: { type: "string", default: "3000" },
    rounds: { type: "string", default: "7" },
  },
});
const count = Number(args.deliveries);
const rounds = Number(args.rounds);

/** Each delivery again, one hour newer, with another status and title: an applied update. */
function updatesOf(deliveries: Delivery[]): Delivery[] {
  return deliveries.map(({ rawBody, meta }) => {
    const event = JSON.parse(rawBody) as {
      event: string;
      data: { updatedAt: string; fields: Record<string, unknown> };
    };
    event.event = "crmEngagement::updated";
    event.data.updatedAt = new Date(Date.parse(event.data.updatedAt) + 3_600_000).toISOString();
    event.data.fields.status = event.data.fields.status === "completed" ? "canceled" : "completed";
    event.data.fields.title = `${String(event.data.fields.title)} (moved)`;
    const key = `${meta.idempotencyKey}-update`;
    return { rawBody: JSON.stringify(event), meta: { ...meta, idempotencyKey: key } };
  });
}

type Config = { name: string; synchronous: "OFF" | "FULL"; group: number; updates: boolean };
const CONFIGS: Config[] = [
  { name: "creates, synchronous=OFF", synchronous: "OFF", group: 1, updates: false },
  { name: "creates, FULL, groups of 10", synchronous: "FULL", group: 10, updates: false },
  { name: "updates, synchronous=OFF", synchronous: "OFF", group: 1, updates: true },
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-in-process-"));

/** CPU ms per measured delivery of one side on a fresh file. */
function runSide(which: "ingest" | "raw", config: Config, round: number) {
  const file = path.join(dir, `${which}-${round}.db`);
  const db = openDatabase(file);
  db.$client.pragma(`synchronous = ${config.synchronous}`);
  const one = which === "ingest" ? (d: Delivery) => ingestOne(db, d) : createRawIngest(db.$client);
  const group =
    which === "ingest" ? (ds: Delivery[]) => ingestGroup(db, ds) : createRawGroup(db.$client);
  const creates = deliveriesFrom(createPayloads(), count);
  let measured = creates;
  if (config.updates) {
    for (const d of creates) one(d);
    measured = updatesOf(creates);
  }
  const start = process.cpuUsage();
  if (config.group === 1) for (const d of measured) one(d);
  else {
    for (let i = 0; i < measured.length; i += config.group) {
      group(measured.slice(i, i + config.group));
    }
  }
  const cpu = process.cpuUsage(start);
  db.$client.close();
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(file + suffix, { force: true });
  return (cpu.user + cpu.system) / 1000 / measured.length;
}

for (const config of CONFIGS) {
  const cpu = { ingest: [] as number[], raw: [] as number[] };
  // One unmeasured round first: V8 compiles the path.
  for (let round = -1; round < rounds; round++) {
    const order = round % 2 === 0 ? (["ingest", "raw"] as const) : (["raw", "ingest"] as const);
    for (const which of order) {
      const ms = runSide(which, config, round);
      if (round >= 0) cpu[which].push(ms);
    }
  }
  console.log(
    `${config.name}: ingest() CPU ${round3(median(cpu.ingest))} ms/delivery, raw ${round3(median(cpu.raw))}, raw/ingest ${pairedRatio(cpu.raw, cpu.ingest)} (${count} deliveries × ${rounds} rounds)`,
  );
}
fs.rmSync(dir, { recursive: true, force: true });
