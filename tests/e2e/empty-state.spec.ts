import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startAppOnFreshDatabase } from "../helpers/server";

/** The shared e2e database has data, so "nothing ingested yet" needs a server of its own. */
let app: Awaited<ReturnType<typeof startAppOnFreshDatabase>>;

test.beforeAll(async () => {
  app = await startAppOnFreshDatabase("engagements-empty-", {
    WEBHOOK_ALLOW_UNSIGNED: "1",
    APP_ALLOW_PUBLIC: "1",
  });
});
test.afterAll(() => app.stop());

test("an empty app says how to feed it; with data, a filter matching nothing offers a way back", async ({
  page,
}) => {
  await page.goto(`${app.url}/engagements`);
  const nothingYet = page.getByTestId("empty-nothing-yet");
  await expect(nothingYet).toContainText("No engagements yet");
  await expect(nothingYet).toContainText("/api/webhooks/morph");
  await expect(nothingYet).toContainText("npm run simulate");

  await page.goto(`${app.url}/deliveries`);
  await expect(page.getByRole("heading", { name: "No deliveries yet" })).toBeVisible();
  await expect(page.getByText("/api/webhooks/morph?token=…")).toBeVisible();
  await expect(page.getByText("npm run simulate")).toBeVisible();

  const response = await fetch(`${app.url}/api/webhooks/morph`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-conector-id": "hubspot",
      "x-owner-id": "empty-state",
      "x-idempotency-key": randomUUID(),
    },
    body: JSON.stringify({
      event: "crmEngagement::created",
      data: {
        object: "resource",
        model: "crmEngagement",
        id: "eng-first",
        fields: { type: "call", title: "The first call", startedAt: "2025-03-06T09:00:00.000Z" },
        updatedAt: "2025-03-06T09:30:00.000Z",
      },
    }),
  });
  expect(response.status).toBe(200);

  await page.goto(`${app.url}/engagements?q=${encodeURIComponent("no such words anywhere")}`);
  await expect(page.getByTestId("empty-nothing-yet")).toHaveCount(0);
  const noMatch = page.getByTestId("empty-no-match");
  await expect(noMatch).toContainText("No engagements match these filters");
  await noMatch.getByRole("link", { name: "Clear filters" }).click();
  // Clearing keeps the viewer's zone (links carry `tz`), nothing else.
  await expect(page).toHaveURL(new RegExp(`^${app.url}/engagements\\?tz=[^&]+$`));
  await expect(page.getByRole("link", { name: "The first call" })).toBeVisible();

  await page.goto(`${app.url}/deliveries?resource=no-such-resource`);
  await expect(
    page.getByRole("heading", { name: "No delivery matches these filters" }),
  ).toBeVisible();
  await page.getByRole("link", { name: "Clear the filters" }).click();
  await expect(page).toHaveURL(new RegExp(`^${app.url}/deliveries\\?tz=[^&]+$`));
  await expect(page.locator("tbody tr")).toHaveCount(1);
});
