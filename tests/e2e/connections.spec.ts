import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { createSqliteStore } from "@/db/sqlite/store";
import { deliver } from "../helpers/deliver";
import { startApp, stopApp, type RunningApp } from "../helpers/server";
import { expectAccessible } from "./accessibility";

/**
 * A server of its own: its database gets a delivery from three days ago before it starts, so one
 * connection is silent without waiting a day, and the shared e2e database gets no banner.
 */
let app: RunningApp;
let dir: string;

const engagement = (id: string, title: string) => ({
  event: "crmEngagement::created",
  data: {
    object: "resource",
    model: "crmEngagement",
    id,
    fields: { type: "call", title, startedAt: "2025-03-06T09:00:00.000Z" },
    createdAt: "2025-03-06T09:00:00.000Z",
    updatedAt: "2025-03-06T09:30:00.000Z",
    rawResource: null,
    warnings: [],
  },
});

test.use({ bypassCSP: true });

test.beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-connections-"));
  const file = path.join(dir, "app.db");
  const store = createSqliteStore({ file, writer: "inline", summaries: "inline" });
  await deliver(store, engagement("quiet-1", "Last call before the silence"), {
    connector: "aircall",
    owner: "quiet-co",
    receivedAt: Date.now() - 3 * 86_400_000,
  });
  await store.close();
  app = await startApp({ DATABASE_URL: file, WEBHOOK_ALLOW_UNSIGNED: "1", APP_ALLOW_PUBLIC: "1" });
  for (let i = 0; i < 3; i++) {
    const response = await fetch(`${app.url}/api/webhooks/morph`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-conector-id": "hubspot",
        "x-owner-id": "busy-co",
        "x-idempotency-key": randomUUID(),
      },
      body: JSON.stringify(engagement(`busy-${i}`, `Call ${i}`)),
    });
    expect(response.status).toBe(200);
  }
});
test.afterAll(async () => {
  await stopApp(app);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a silent connection raises the banner on /engagements, which leads to /connections", async ({
  page,
}) => {
  await page.goto(`${app.url}/engagements`);
  const banner = page.getByTestId("connection-banner");
  await expect(banner).toContainText("aircall:quiet-co");
  await expect(banner).toContainText("silent");
  await expect(banner).not.toContainText("hubspot:busy-co");
  await expectAccessible(page);

  await banner.getByRole("link", { name: "See connections" }).click();
  await expect(page).toHaveURL(/\/connections$/);
  await expect(page.getByRole("heading", { name: "Connections", level: 1 })).toBeVisible();
});

test("/connections lists each connection with its state, counts and chart", async ({ page }) => {
  await page.goto(`${app.url}/deliveries`);
  await page
    .getByRole("navigation", { name: "Main" })
    .getByRole("link", { name: "Connections" })
    .click();
  await expect(page).toHaveURL(/\/connections$/);
  await expect(
    page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Connections" }),
  ).toHaveAttribute("aria-current", "page");

  const busy = page.locator('tr[data-connection="hubspot:busy-co"]');
  await expect(busy).toContainText("receiving");
  await expect(busy.getByRole("link", { name: /applied/ })).toContainText("3");
  const chart = busy.getByRole("img", { name: /hubspot:busy-co, per day: 3 deliveries/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator("rect")).toHaveCount(30);

  const quiet = page.locator('tr[data-connection="aircall:quiet-co"]');
  await expect(quiet).toContainText("silent");
  await expect(
    quiet.getByRole("img", { name: /aircall:quiet-co, per day: 1 delivery / }),
  ).toBeVisible();
  await expectAccessible(page);

  // Each outcome count opens the log of that connection and outcome.
  await busy.getByRole("link", { name: /applied/ }).click();
  await expect(page).toHaveURL(/\/deliveries\?.*outcome=applied/);
  await expect(page).toHaveURL(/connection=hubspot%3Abusy-co/);
});
