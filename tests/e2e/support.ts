import { randomUUID } from "node:crypto";
import type { APIRequestContext, Page } from "@playwright/test";
import { E2E_APP_PASSWORD, E2E_WEBHOOK_SECRET } from "../../playwright.config";

export { E2E_APP_PASSWORD, E2E_WEBHOOK_SECRET };

/** Posts one Morph event to the running app over HTTP, authenticated with the webhook token. */
export async function postEvent(
  request: APIRequestContext,
  body: unknown,
  options: { key?: string; connector?: string; owner?: string } = {},
) {
  const response = await request.post(
    `/api/webhooks/morph?token=${encodeURIComponent(E2E_WEBHOOK_SECRET)}`,
    {
      headers: {
        "content-type": "application/json",
        "x-conector-id": options.connector ?? "hubspot",
        "x-owner-id": options.owner ?? "acme-prod",
        "x-idempotency-key": options.key ?? randomUUID(),
      },
      data: typeof body === "string" ? body : JSON.stringify(body),
    },
  );
  return response;
}

/** Signs the browser in through the sign-in link printed at start. */
export async function signIn(page: Page) {
  await page.goto(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`);
}
