import { expect, test } from "@playwright/test";
import { fixture } from "../helpers/morph";
import { expectAccessible } from "./accessibility";
import { E2E_APP_PASSWORD, postEvent, signIn } from "./support";

/** Every page, signed out and in, with data in its own connection, checked by axe-core. */
const OWNER = "a11y-e2e";
const CONNECTION = `hubspot:${OWNER}`;

test.use({ bypassCSP: true });

let engagementId = "";
let deliveryId = "";

test.beforeAll(async ({ request }) => {
  for (const name of [
    "user-created",
    "contact-created",
    "company-created",
    "opportunity-created",
    "engagement-call-created",
    "engagement-meeting-updated",
    "engagement-email-expanded-refs",
    "engagement-deleted",
  ]) {
    const response = await postEvent(request, fixture(name), { owner: OWNER });
    expect(response.status()).toBe(200);
    deliveryId = response.headers()["x-delivery-id"]!;
  }
  // The read API wants a session: the sign-in link sets its cookie on this request context.
  await request.get(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`);
  const list = await request.get(`/api/engagements?connection=${CONNECTION}&deleted=include`);
  engagementId = (await list.json()).data[0].id;
});

test("the sign-in page", async ({ page }) => {
  await page.goto("/login");
  await expectAccessible(page);
});

const connection = `connection=${encodeURIComponent(CONNECTION)}`;
const SIGNED_IN_PAGES = [
  "/engagements",
  `/engagements?${connection}&type=call&deleted=include`,
  `/engagements?${connection}&q=nothing-matches-this`,
  "/engagements/:engagement",
  "/deliveries",
  "/deliveries?outcome=applied",
  "/deliveries/:delivery",
  "/connections",
  `/users/501?${connection}`,
  `/contacts/9001?${connection}`,
  `/companies/7001?${connection}`,
  `/opportunities/4401?${connection}`,
  "/engagements/999999999",
];

// One test a page: each failure names its page, and all of them show in one run.
for (const path of SIGNED_IN_PAGES) {
  test(`signed in: ${path}`, async ({ page }) => {
    await signIn(page);
    await page.goto(path.replace(":engagement", engagementId).replace(":delivery", deliveryId));
    await page.waitForLoadState("networkidle");
    await expectAccessible(page);
  });
}
