import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type RunningApp = { url: string; process: ChildProcess; output: () => string };

/**
 * Starts the built app as `npm start` serves it (scripts/server.mjs; with `script: "start.mjs"`,
 * through npm start's own launcher, config check included) and waits for /api/health.
 * The app gets its own process group and signals go to the group, as a service manager sends them.
 * An `env` value of undefined removes that variable.
 */
export async function startApp(
  env: Record<string, string | undefined>,
  port?: number,
  options: { healthy?: boolean; script?: "server.mjs" | "start.mjs" } = {},
): Promise<RunningApp> {
  const chosen = port ?? (await freePort());
  const root = path.resolve(import.meta.dirname, "../..");
  const child = spawn(
    process.execPath,
    [
      `scripts/${options.script ?? "server.mjs"}`,
      "--port",
      String(chosen),
      "--hostname",
      "127.0.0.1",
    ],
    {
      cwd: root,
      env: withoutUnset({ ...process.env, NODE_ENV: "production", ...env }),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${chosen}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`app exited early:\n${output}`);
    try {
      const response = await fetch(`${url}/api/health`);
      // An app started before its database answers serves 503s: `healthy: false` waits for that.
      if (response.ok || options.healthy === false)
        return { url, process: child, output: () => output };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  signalApp({ url, process: child, output: () => output }, "SIGKILL");
  throw new Error(`app did not become healthy:\n${output}`);
}

function withoutUnset(env: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined),
  ) as NodeJS.ProcessEnv;
}

/** Sends a signal to the app's whole process group (launcher and server). */
export function signalApp(app: RunningApp, signal: NodeJS.Signals) {
  try {
    process.kill(-app.process.pid!, signal);
  } catch {
    // Already gone.
  }
}

/** Stops the app and waits until its port is free again. */
export async function stopApp(app: RunningApp, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  const exited = new Promise<void>((resolve) => {
    if (app.process.exitCode !== null || app.process.signalCode !== null) return resolve();
    app.process.once("exit", () => resolve());
  });
  signalApp(app, signal);
  await exited;
  for (let i = 0; i < 100; i++) {
    try {
      await fetch(`${app.url}/api/health`);
    } catch {
      return;
    }
    signalApp(app, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the app at ${app.url} would not stop`);
}

/**
 * A second app on a database of its own in a fresh temp folder, for tests that need an empty or
 * disposable one; `stop` also removes the folder.
 */
export async function startAppOnFreshDatabase(
  prefix: string,
  env: Record<string, string> = {},
): Promise<RunningApp & { stop: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const app = await startApp({ DATABASE_URL: path.join(dir, "app.db"), ...env });
  return {
    ...app,
    stop: async () => {
      await stopApp(app);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
