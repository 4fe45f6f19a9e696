import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { expect, test, type Page } from "@playwright/test";
import { createPgTestDatabase, startPgCluster, type PgCluster } from "../../scripts/lib/pg-cluster";
import { fixture } from "../helpers/morph";
import { startApp, stopApp, type RunningApp } from "../helpers/server";
import { testEngines, type Engine } from "../helpers/test-engines";
import { expectAccessible } from "./accessibility";

/**
 * A first start with nothing configured, as a newcomer runs it: `npm start` prints where to point
 * Morph, how to sign in and which database it uses, and `npm run simulate` (same folder, same
 * DATABASE_URL, no WEBHOOK_SECRET) finds the secret the server made and is let in with it.
 */
test.describe.configure({ mode: "serial" });
test.use({ bypassCSP: true });

const root = path.resolve(import.meta.dirname, "../..");
/** Removed, so nothing from the test's own environment configures the app. */
const UNCONFIGURED = {
  WEBHOOK_SECRET: undefined,
  APP_PASSWORD: undefined,
  WEBHOOK_ALLOW_UNSIGNED: undefined,
  APP_ALLOW_PUBLIC: undefined,
  PORT: undefined,
};

type Setup = {
  databaseUrl: string;
  /** The webhook secret the database keeps, and where the banner says it is. */
  keptSecret: () => Promise<string>;
  keptWhere: string;
  /** What simulate says it read the secret from. */
  simulateWhere: string;
  databaseLine: string;
  cleanup: () => void;
};

const SETUPS: Record<Engine, () => Promise<Setup>> = {
  sqlite: async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-start-"));
    const file = path.join(dir, "app.db");
    const secretFile = path.join(dir, "webhook-secret");
    return {
      databaseUrl: file,
      keptSecret: async () => fs.readFileSync(secretFile, "utf8").trim(),
      keptWhere: secretFile,
      simulateWhere: secretFile,
      databaseLine: `${file} (SQLite, migrated)`,
      cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  },
  postgres: async () => {
    const cluster: PgCluster = await startPgCluster();
    const url = await createPgTestDatabase(cluster.adminUrl, "start");
    return {
      databaseUrl: url,
      keptSecret: async () => {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          const { rows } = await client.query<{ value: string }>(
            "select value from settings where name = 'webhook-secret'",
          );
          return rows[0]!.value;
        } finally {
          await client.end();
        }
      },
      keptWhere: "the database's settings table",
      simulateWhere: "the database",
      databaseLine: `${url} (PostgreSQL)`,
      cleanup: () => cluster.destroy(),
    };
  },
};

/** Waits for the banner (it follows the first answer from the database) and reads its lines. */
async function banner(app: RunningApp) {
  await expect.poll(() => app.output(), { timeout: 30_000 }).toMatch(/^Sign in: /m);
  const line = (prefix: string) => {
    const found = app
      .output()
      .split("\n")
      .find((l) => l.startsWith(prefix));
    return found?.slice(prefix.length).trim();
  };
  return {
    database: line("Database: "),
    webhookUrl: new URL(line("Webhook URL for Morph: ")!),
    signIn: new URL(line("Sign in: ")!),
    secretNote: line("  (secret "),
    passwordNote: line("  (password "),
  };
}

/** `npm run simulate` as a newcomer runs it: from the app's folder, with the app's DATABASE_URL. */
function simulate(url: string, databaseUrl: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl };
  delete env.WEBHOOK_SECRET;
  delete env.WEBHOOK_ALLOW_UNSIGNED;
  const child = spawn(
    "npm",
    ["run", "simulate", "--", "--url", url, "--count", "12", "--concurrency", "2", "--seed", "3"],
    { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  return new Promise<{ code: number | null; output: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, output })),
  );
}

/** Every log row of one connection, through the read API. */
async function deliveriesOf(page: Page, base: string, connection: string) {
  const all: { httpStatus: number; outcome: string; id: string }[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ connection, limit: "200" });
    if (cursor) query.set("cursor", cursor);
    const res = await page.request.get(`${base}/api/deliveries?${query}`);
    expect(res.status()).toBe(200);
    const body = (await res.json()) as { data: typeof all; nextCursor: string | null };
    all.push(...body.data);
    cursor = body.nextCursor;
  } while (cursor);
  return all;
}

for (const engine of testEngines()) {
  test(`npm start's banner on ${engine}, and npm run simulate let in with the secret it made`, async ({
    page,
  }) => {
    test.setTimeout(180_000);
    const setup = await SETUPS[engine]();
    let app: RunningApp | null = null;
    try {
      app = await startApp({ ...UNCONFIGURED, DATABASE_URL: setup.databaseUrl }, undefined, {
        script: "start.mjs",
      });
      const port = new URL(app.url).port;
      const printed = await banner(app);

      expect(printed.database).toBe(setup.databaseLine);
      // The links name the port it serves on, and carry the secret and the password it made.
      const secret = await setup.keptSecret();
      expect(secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
      expect(printed.webhookUrl.origin).toBe(`http://localhost:${port}`);
      expect(printed.webhookUrl.pathname).toBe("/api/webhooks/morph");
      expect(printed.webhookUrl.searchParams.get("token")).toBe(secret);
      expect(printed.secretNote).toBe(
        `kept in ${setup.keptWhere}; set WEBHOOK_SECRET to choose your own)`,
      );
      expect(printed.signIn.origin).toBe(`http://localhost:${port}`);
      expect(printed.signIn.pathname).toBe("/api/session");
      expect(printed.signIn.searchParams.get("token")).toBeTruthy();
      expect(printed.passwordNote).toMatch(/^kept in .+; set APP_PASSWORD to choose your own\)$/);

      // The printed webhook URL lets a delivery in; the same URL with another token does not.
      const post = (search: string) =>
        fetch(`${app!.url}/api/webhooks/morph${search}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-conector-id": "hubspot",
            "x-owner-id": "banner",
            "x-idempotency-key": `banner-${engine}`,
          },
          body: JSON.stringify(fixture("engagement-call-created")),
        });
      expect((await post("?token=whsec_guessed")).status).toBe(401);
      expect((await post(printed.webhookUrl.search)).status).toBe(200);

      // The printed sign-in link signs the browser in.
      await page.goto(`${app.url}${printed.signIn.pathname}${printed.signIn.search}`);
      await expect(page).toHaveURL(`${app.url}/engagements`);
      await expect(page.getByRole("link", { name: "Pricing follow-up" })).toBeVisible();
      await expectAccessible(page);

      const run = await simulate(app.url, setup.databaseUrl);
      expect(run.output).toContain(`(secret from ${setup.simulateWhere})`);
      expect(run.code, run.output).toBe(0);
      const sent = Number(/^Sent (\d+) requests/m.exec(run.output)?.[1]);
      expect(sent).toBeGreaterThan(12);
      expect(run.output).toMatch(new RegExp(`HTTP status: +200: ${sent}$`, "m"));

      // Every one of them is in the log as accepted, authenticated by the kept secret's token.
      const logged = await deliveriesOf(page, app.url, "hubspot:acme-prod");
      expect(logged).toHaveLength(sent);
      expect(logged.filter((d) => d.httpStatus !== 200)).toEqual([]);
      const one = await page.request.get(`${app.url}/api/deliveries/${logged[0]!.id}`);
      expect((await one.json()).headers["x-auth-method"]).toBe("token");
      await page.goto(`${app.url}/engagements?connection=hubspot%3Aacme-prod`);
      await expect(page.getByTestId("engagement-row").first()).toBeVisible();
    } finally {
      if (app) await stopApp(app);
      setup.cleanup();
    }
  });
}
