/**
 * The benchmark's CPU accounting for a process tree (PostgreSQL's postmaster and its backends,
 * which come and go during a load): what living descendants used, and what ended ones did.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, describe, expect, it } from "vitest";
import { treeCpuMs } from "@/scripts/bench/harness";

/** Burns `ms` of CPU time (not wall time: the machine may be busy), then runs `then`. */
const burn = (ms: number, then: string) =>
  `while (process.cpuUsage().user < ${ms * 1000}) {} ${then}`;

const PARENT = `
const { spawn, spawnSync } = require("node:child_process");
spawnSync(process.execPath, ["-e", ${JSON.stringify(burn(300, ""))}]);
const living = spawn(process.execPath, ["-e", ${JSON.stringify(burn(300, 'console.log("burnt"); setInterval(() => {}, 1000);'))}]);
living.stdout.once("data", () => console.log("ready"));
setInterval(() => {}, 1000);
`;

const started: ChildProcess[] = [];
// Each test's tree is a process group of its own: killed whole, its grandchild included.
afterAll(() => {
  for (const child of started) {
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {}
  }
});

describe("the benchmark's CPU time of a process tree", () => {
  it("counts a living child's CPU and an ended one's", async () => {
    const parent = spawn(process.execPath, ["-e", PARENT], {
      stdio: ["ignore", "pipe", "inherit"],
      detached: true,
    });
    started.push(parent);
    await new Promise<void>((resolve) => parent.stdout!.once("data", () => resolve()));
    // 300 ms in the child that ended (counted in the parent's cutime once reaped), 300 ms in
    // the one still running; /proc counts in 10 ms ticks.
    expect(treeCpuMs(parent.pid!)).toBeGreaterThanOrEqual(560);
  });
});
