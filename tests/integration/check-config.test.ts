/** `npm start` with a variable that does not fit: it stops before it builds or serves. */
import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");

type Run = { code: number | null; stdout: string; stderr: string };

/**
 * A script as its own process group with only `env` (and PATH, NODE_ENV) set; killed whole after
 * `limitMs`, so a start that wrongly went on to build or serve ends the test instead of hanging.
 */
function runNode(args: string[], env: Record<string, string>, limitMs = 45_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", ...env },
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const timer = setTimeout(() => process.kill(-child.pid!, "SIGKILL"), limitMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const checkConfig = (env: Record<string, string>) =>
  runNode(["--import", "tsx", "scripts/check-config.ts"], env);

describe("scripts/check-config.ts", () => {
  it.each([
    [{ PORT: "abc" }, "PORT=abc: expected a port from 1 to 65535"],
    [{ LOG_RETENTION_DAYS: "-1" }, "LOG_RETENTION_DAYS=-1: expected a positive number of days"],
    [{ DATABASE_URL: "mysql://root:hunter2@db/app" }, "DATABASE_URL: expected a SQLite file path"],
  ])("refuses %j, exit code 2, naming the variable", async (env, message) => {
    const run = await checkConfig(env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Configuration error");
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toContain("hunter2");
  });

  it("names every variable that does not fit at once", async () => {
    const run = await checkConfig({ PORT: "abc", CONNECTION_SILENCE_HOURS: "-1" });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("PORT=abc");
    expect(run.stderr).toContain("CONNECTION_SILENCE_HOURS=-1");
  });

  it("passes values that fit, saying nothing", async () => {
    const run = await checkConfig({
      PORT: "8080",
      DATABASE_URL: "postgres://u:p@127.0.0.1:5432/app",
      APP_URL: "https://viewer.example.com",
      TRUST_PROXY: "1",
      APP_SESSION_HOURS: "0.5",
      CONNECTION_SILENCE_HOURS: "0",
    });
    expect(run).toEqual({ code: 0, stdout: "", stderr: "" });
  });
});

describe("npm start with a bad value", () => {
  it("stops before it builds or serves, exit code ≠ 0", async () => {
    const run = await runNode(["scripts/start.mjs"], { PORT: "abc", LOG_RETENTION_DAYS: "-1" });
    expect(run.code).not.toBe(0);
    expect(run.code).not.toBeNull();
    expect(run.stderr).toContain("PORT=abc: expected a port from 1 to 65535");
    expect(run.stderr).toContain("LOG_RETENTION_DAYS=-1");
    expect(run.stdout).not.toContain("Building");
    expect(run.stdout).not.toContain("Serving");
  });
});
