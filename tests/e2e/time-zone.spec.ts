import { expect, test, type Page } from "@playwright/test";
import { expectAccessible } from "./accessibility";
import { postEvent, signIn } from "./support";

/**
 * The viewer's own days in a zone that is not UTC: the browser's zone reaches the server, the
 * page names it, a date typed in the inputs is that local day (9 March 2025 in Los Angeles has 23
 * hours), and a rolling pill stays rolling in the URL. In its own connection.
 */
const OWNER = "tz-e2e";
const CONNECTION = `hubspot:${OWNER}`;
const ZONE = "America/Los_Angeles";

test.use({ bypassCSP: true, timezoneId: ZONE, locale: "en-US" });

const RECENT = new Date(Date.now() - 3_600_000).toISOString();
const STARTS: Record<string, string> = {
  "Late on 8 March": "2025-03-09T07:59:00.000Z",
  "Midnight on 9 March": "2025-03-09T08:00:00.000Z",
  "Late on 9 March": "2025-03-10T06:59:00.000Z",
  "Midnight on 10 March": "2025-03-10T07:00:00.000Z",
  "An hour ago": RECENT,
};

test.beforeAll(async ({ request }) => {
  for (const [title, startedAt] of Object.entries(STARTS)) {
    const id = `tz-${title.replace(/\W+/g, "-").toLowerCase()}`;
    const event = {
      event: "crmEngagement::created",
      data: {
        object: "resource",
        model: "crmEngagement",
        id,
        fields: { type: "call", status: "completed", title, startedAt },
        createdAt: startedAt,
        updatedAt: startedAt,
      },
    };
    expect((await postEvent(request, event, { owner: OWNER })).status()).toBe(200);
  }
});

const results = (page: Page) => page.getByRole("region", { name: "Engagements" });

async function expectTitles(page: Page, shown: string[]) {
  for (const title of Object.keys(STARTS)) {
    const link = results(page).getByRole("link", { name: title, exact: true });
    if (shown.includes(title)) await expect(link).toBeVisible();
    else await expect(link).toHaveCount(0);
  }
}

test("a day typed in the date inputs is the viewer's local day", async ({ page }) => {
  await signIn(page);
  await page.goto(`/engagements?connection=${CONNECTION}`);
  await expect(page.getByText(`Dates in ${ZONE}`)).toBeVisible();
  await page.getByLabel("From", { exact: true }).fill("2025-03-09");
  await page.getByLabel("To (inclusive)").fill("2025-03-09");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/from=2025-03-09/);
  const params = new URL(page.url()).searchParams;
  expect([params.get("from"), params.get("to"), params.get("tz")]).toEqual([
    "2025-03-09",
    "2025-03-09",
    ZONE,
  ]);
  await expectTitles(page, ["Midnight on 9 March", "Late on 9 March"]);
  // The CSV link carries the zone, so it holds the same day.
  const csv = page.getByRole("link", { name: /csv/i }).first();
  await expect(csv).toHaveAttribute("href", /tz=America%2FLos_Angeles/);
  await expectAccessible(page);
});

test("a rolling pill keeps its name in the URL and its chip says what it means", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/engagements?connection=${CONNECTION}`);
  await page
    .getByRole("navigation", { name: "Quick date ranges" })
    .getByRole("link", { name: "Last 7 days" })
    .click();
  await expect(page).toHaveURL(/range=last7/);
  expect(page.url()).not.toMatch(/from=|to=/);
  await expectTitles(page, ["An hour ago"]);
  await expect(
    page.getByRole("link", { name: /^Remove filter Last 7 days · \d+ \w{3} – \d+ \w{3}$/ }),
  ).toBeVisible();
  await page
    .getByRole("navigation", { name: "Quick date ranges" })
    .getByRole("link", { name: "Older than 30 days" })
    .click();
  await expect(page).toHaveURL(/range=olderThan30/);
  await expectTitles(page, [
    "Late on 8 March",
    "Midnight on 9 March",
    "Late on 9 March",
    "Midnight on 10 March",
  ]);
});

test("the delivery log and the connections page name the zone", async ({ page }) => {
  await signIn(page);
  for (const path of ["/deliveries", "/connections"]) {
    await page.goto(path);
    await expect(page.getByText(`Dates in ${ZONE}`)).toBeVisible();
    await expectAccessible(page);
  }
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the page falls back to UTC and says so", async ({ page }) => {
    await signIn(page);
    await page.goto(`/engagements?connection=${CONNECTION}`);
    await expect(page.getByText(/^Dates in UTC: your browser's time zone/)).toBeVisible();
    // A link that names its zone is read in it, script or not.
    await page.goto(`/engagements?connection=${CONNECTION}&tz=${encodeURIComponent(ZONE)}`);
    await expect(page.getByText(`Dates in ${ZONE}`)).toBeVisible();
  });
});
