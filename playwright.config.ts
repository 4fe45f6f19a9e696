import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/** A free port and a throwaway database, chosen once and shared with the workers through env. */
function freePort(): string {
  return execFileSync(process.execPath, [
    "-e",
    "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})",
  ])
    .toString()
    .trim();
}
process.env.E2E_PORT ??= freePort();
process.env.E2E_DATA_DIR ??= fs.mkdtempSync(path.join(os.tmpdir(), "engagements-e2e-"));
export const E2E_WEBHOOK_SECRET = "e2e-webhook-secret";
export const E2E_APP_PASSWORD = "e2e-app-password";

const systemChromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const useSystemChromium = fs.existsSync(systemChromium);

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results/artifacts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${process.env.E2E_PORT}`,
    trace: "retain-on-failure",
    timezoneId: "Europe/Madrid",
    locale: "en-GB",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: useSystemChromium
          ? {
              executablePath: systemChromium,
              args: [
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
              ],
            }
          : {},
      },
    },
  ],
  webServer: {
    command: `node scripts/server.mjs --port ${process.env.E2E_PORT} --hostname 127.0.0.1`,
    url: `http://127.0.0.1:${process.env.E2E_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      NODE_ENV: "production",
      DATABASE_URL: path.join(process.env.E2E_DATA_DIR, "app.db"),
      WEBHOOK_SECRET: E2E_WEBHOOK_SECRET,
      APP_PASSWORD: E2E_APP_PASSWORD,
      // As behind a proxy: tests name their client (X-Forwarded-For) and scheme themselves.
      // Without it: tests/e2e/addresses.spec.ts.
      TRUST_PROXY: "1",
    },
  },
});
