import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { fixture } from "../helpers/morph";
import { E2E_APP_PASSWORD, postEvent, signIn } from "./support";

/**
 * A sales-ops person browsing engagements. Everything is posted into its own connection so
 * other specs sharing the server cannot change these counts.
 */
const CONNECTION = "hubspot:ui-e2e";
const OWNER = "ui-e2e";
const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });

const GENERATED = 60;
/** Generated engagements: i % 3 === 0 → owner 502 (Lee), else 501 (Dana); odd i → contact 9001. */
function generated(i: number) {
  const startedAt = new Date(Date.UTC(2025, 1, 1, 8) + i * 3_600_000 * 7).toISOString();
  return {
    event: "crmEngagement::created",
    data: {
      object: "resource",
      model: "crmEngagement",
      id: `e2e-${i}`,
      fields: {
        type: ["call", "meeting", "email", "task", "note"][i % 5],
        direction: i % 2 ? "inbound" : "outbound",
        status: ["completed", "planned"][i % 2],
        title: `Generated ${["call", "meeting", "email", "task", "note"][i % 5]} ${i}`,
        description: "Seeded by the end-to-end test.",
        startedAt,
        duration: 300 + i,
        owner: ref("genericUser", i % 3 === 0 ? "502" : "501"),
        contacts: [ref("genericContact", i % 2 ? "9001" : "9002")],
        companies: [ref("genericCompany", "7001")],
      },
      createdAt: startedAt,
      updatedAt: startedAt,
    },
  };
}
const expected = (predicate: (i: number) => boolean) =>
  Array.from({ length: GENERATED }, (_, i) => i).filter(predicate).length;

async function seed(request: APIRequestContext) {
  const post = async (body: unknown) => {
    const res = await postEvent(request, body, { owner: OWNER });
    expect(res.status(), JSON.stringify(body).slice(0, 80)).toBe(200);
  };
  for (const name of [
    "user-created",
    "contact-created",
    "company-created",
    "opportunity-created",
    "engagement-call-created",
    "engagement-meeting-updated",
    "engagement-email-expanded-refs",
  ]) {
    await post(fixture(name));
  }
  await post({
    event: "genericUser::created",
    data: {
      object: "resource",
      model: "genericUser",
      id: "502",
      fields: { firstName: "Lee", lastName: "Okafor", email: "lee@seller.example" },
      updatedAt: "2025-01-01T00:00:00.000Z",
    },
  });
  for (let i = 0; i < GENERATED; i++) await post(generated(i));
  // The same user id in a second connection: their page must ask which one.
  const other = await postEvent(request, fixture("user-created"), { owner: `${OWNER}-2` });
  expect(other.status()).toBe(200);
  await post(fixture("engagement-deleted"));
}

const listUrl = (query = "") => `/engagements?connection=${encodeURIComponent(CONNECTION)}${query}`;
const total = (page: Page) => page.getByTestId("total-count");
const rows = (page: Page) => page.getByTestId("engagement-row");

// Seeded once per server (a new worker after a failure finds the data already there).
test.beforeAll(async ({ request }) => {
  // The read API needs a session: without one the check never sees the data and seeds it twice.
  await request.get(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`);
  const seeded = await request.get(
    `/api/engagements?connection=${CONNECTION}&deleted=include&limit=1`,
  );
  if (seeded.ok() && (await seeded.json()).data.length > 0) return;
  await seed(request);
});

test("filter by owner through the picker, then combine with a type facet", async ({ page }) => {
  await signIn(page);
  await page.goto(listUrl());
  // 60 generated + meeting + email; the deleted call is hidden.
  await expect(total(page)).toHaveText(String(GENERATED + 2));

  const picker = page.getByRole("combobox", { name: "Owner" });
  await picker.fill("oka");
  const option = page.getByRole("option", { name: /Lee Okafor/ });
  await expect(option).toContainText("lee@seller.example");
  await option.click();
  await expect(page).toHaveURL(/owner=502/);
  await expect(page.getByText("Owner: Lee Okafor")).toBeVisible();
  // Lee owns every third generated one, and the fixture email.
  const lee = expected((i) => i % 3 === 0) + 1;
  await expect(total(page)).toHaveText(String(lee));
  // Every row on screen belongs to Lee.
  for (const row of await rows(page).all()) {
    await expect(row.getByRole("cell").nth(2)).toHaveText("Lee Okafor");
  }

  // Combine with a type facet (a plain link that toggles it).
  await page
    .getByRole("complementary", { name: "Counts by facet" })
    .getByRole("link", { name: /^Call/ })
    .click();
  await expect(page).toHaveURL(/type=call/);
  await expect(page).toHaveURL(/owner=502/);
  await expect(total(page)).toHaveText(String(expected((i) => i % 3 === 0 && i % 5 === 0)));
  await expect(rows(page).first().getByText("Call", { exact: true })).toBeAttached();

  // The owner chip's ✕ removes only the owner.
  await page.getByRole("link", { name: "Remove filter Owner: Lee Okafor" }).click();
  await expect(page).not.toHaveURL(/owner=/);
  await expect(page).toHaveURL(/type=call/);
  await expect(total(page)).toHaveText(String(expected((i) => i % 5 === 0)));
});

test("filter by contact and read names, not ids", async ({ page }) => {
  await signIn(page);
  await page.goto(listUrl());
  await page.getByRole("combobox", { name: "Contact" }).fill("marco@");
  await page.getByRole("option", { name: /Marco Ibáñez/ }).click();
  await expect(page).toHaveURL(/contact=9001/);
  await expect(page.getByText("Contact: Marco Ibáñez")).toBeVisible();
  // Odd generated ones reference 9001 (the call that did is deleted and hidden).
  await expect(total(page)).toHaveText(String(expected((i) => i % 2 === 1)));
  await expect(rows(page).first().getByRole("cell").nth(3)).toContainText("Marco Ibáñez");
  await expect(rows(page).first().getByRole("cell").nth(3)).toContainText("Acme Logistics");
});

test("page through with keyset links, no row twice", async ({ page }) => {
  await signIn(page);
  await page.goto(listUrl("&limit=25"));
  const first = await rows(page).locator("td:nth-child(2) a").allInnerTexts();
  expect(first).toHaveLength(25);
  const next = page.getByRole("link", { name: "Next page →" });
  let href = (await next.getAttribute("href"))!;
  await next.click();
  await page.waitForURL((url) => url.pathname + url.search === href);
  const second = await rows(page).locator("td:nth-child(2) a").allInnerTexts();
  expect(second).toHaveLength(25);
  href = (await next.getAttribute("href"))!;
  expect(href).toContain("cursor=");
  await next.click();
  await page.waitForURL((url) => url.pathname + url.search === href);
  const third = await rows(page).locator("td:nth-child(2) a").allInnerTexts();
  expect(third).toHaveLength(GENERATED + 2 - 50);
  await expect(page.getByRole("link", { name: "Next page →" })).toHaveCount(0);
  const all = [...first, ...second, ...third];
  expect(new Set(all).size).toBe(all.length);
  await page.getByRole("link", { name: "← Newest" }).click();
  await page.waitForURL((url) => !url.search.includes("cursor="));
  expect(await rows(page).locator("td:nth-child(2) a").allInnerTexts()).toEqual(first);
  await page.screenshot({ path: "test-results/engagements-list.png", fullPage: true });
});

test("open a detail, see references resolved, follow a contact to its timeline", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(listUrl("&q=security review"));
  await page.getByRole("link", { name: "Security review with IT" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Security review with IT");
  const people = page.getByRole("region", { name: "People and records" });
  await expect(people.getByRole("link", { name: "Dana Whitfield" }).first()).toBeVisible();
  await expect(people.getByText("dana@seller.example").first()).toBeVisible();
  await expect(people.getByRole("link", { name: "Acme — Enterprise renewal" })).toBeVisible();
  await expect(people.getByText("€48,000.00")).toBeVisible();
  // Contact 9003 never synced: its id and an honest label.
  await expect(page.getByTestId("ref-genericContact-9003")).toContainText("9003");
  await expect(page.getByTestId("ref-genericContact-9003")).toContainText("not synced yet");
  // Times in the viewer's zone (the browser runs in Europe/Madrid, UTC+1 in March).
  await expect(page.getByText("12 Mar 2025, 15:00").first()).toBeVisible();
  await expect(page.getByTestId("delivery-row")).toHaveCount(1);
  await expect(page.getByTestId("delivery-row").getByRole("link")).toHaveAttribute(
    "href",
    /^\/deliveries\/\d+$/,
  );
  await page.screenshot({ path: "test-results/engagements-detail.png", fullPage: true });

  // Follow the user 502 (Lee) to their page, then a contact to its timeline.
  await page.goto(listUrl("&q=procurement"));
  await page.getByRole("link", { name: "Re: order form" }).click();
  const priya = page.getByTestId("ref-genericContact-9004").getByRole("link");
  await expect(priya).toHaveText("Priya Natarajan");
  await priya.click();
  await expect(page).toHaveURL(/\/contacts\/9004\?connection=hubspot%3Aui-e2e/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Priya Natarajan");
  await expect(page.getByText("priya@northwind.example")).toBeVisible();
  await expect(total(page)).toHaveText("1");
  await expect(rows(page)).toHaveCount(1);
  await expect(rows(page).first()).toContainText("Re: order form");
});

test("a contact's timeline keeps the list's filters", async ({ page }) => {
  await signIn(page);
  await page.goto(`/contacts/9001?connection=${encodeURIComponent(CONNECTION)}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Marco Ibáñez");
  await expect(total(page)).toHaveText(String(expected((i) => i % 2 === 1)));
  await page
    .getByRole("complementary", { name: "Counts by facet" })
    .getByRole("link", { name: /^Email/ })
    .click();
  await expect(page).toHaveURL(/\/contacts\/9001\?.*type=email/);
  await expect(total(page)).toHaveText(String(expected((i) => i % 2 === 1 && i % 5 === 2)));
});

test("a deleted engagement shows only when asked, clearly marked", async ({ page }) => {
  await signIn(page);
  await page.goto(listUrl("&q=enterprise tier"));
  await expect(page.getByTestId("empty-no-match")).toBeVisible();
  await expect(page.getByRole("link", { name: "Pricing follow-up" })).toHaveCount(0);

  await page.getByLabel("Deleted").selectOption("only");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/deleted=only/);
  const row = rows(page).filter({ hasText: "Pricing follow-up" });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Deleted", { exact: true })).toBeVisible();
  await row.getByRole("link", { name: "Pricing follow-up" }).click();
  await expect(page.getByTestId("deleted-banner")).toContainText("Deleted in the CRM");
  await expect(page.getByTestId("delivery-row")).toHaveCount(2);
});

test("an unknown engagement is a real 404", async ({ page }) => {
  await signIn(page);
  const response = await page.goto("/engagements/987654321");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No such engagement" })).toBeVisible();
});

test("a user id known in two connections asks which one, then shows their timeline", async ({
  page,
}) => {
  await signIn(page);
  await page.goto("/users/501");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("exists in");
  await page.getByRole("link", { name: `Dana Whitfield in ${CONNECTION}`, exact: true }).click();
  await expect(page).toHaveURL(/\/users\/501\?connection=hubspot%3Aui-e2e/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Dana Whitfield");
  // Dana owns the generated ones Lee does not, and the meeting (the call is deleted).
  await expect(total(page)).toHaveText(String(expected((i) => i % 3 !== 0) + 1));
});

test("a record id known nowhere is a real 404", async ({ page }) => {
  await signIn(page);
  const response = await page.goto("/contacts/no-such-contact-anywhere");
  expect(response?.status()).toBe(404);
});

test("the rows come before the count in the stream, so they never wait for it", async ({
  request,
}) => {
  // The request context keeps the session cookie the sign-in link sets.
  await request.get(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`);
  const res = await request.get(listUrl());
  expect(res.status()).toBe(200);
  const html = await res.text();
  const firstRow = html.indexOf('data-testid="engagement-row"');
  const count = html.indexOf('data-testid="total-count"');
  expect(firstRow).toBeGreaterThan(0);
  expect(count).toBeGreaterThan(firstRow);
});

test("row icons are drawn from symbols defined on the page", async ({ page }) => {
  await signIn(page);
  await page.goto(listUrl("&deleted=include"));
  const hrefs = await rows(page)
    .locator("svg use")
    .evaluateAll((uses) => uses.map((u) => u.getAttribute("href") ?? ""));
  expect(hrefs.length).toBeGreaterThanOrEqual(50);
  const undrawn = await page.evaluate(
    (ids) => ids.filter((id) => !document.querySelector(`symbol${id} path, symbol${id} rect`)),
    [...new Set(hrefs)],
  );
  expect(undrawn).toEqual([]);
  const box = await rows(page).first().locator("svg").first().boundingBox();
  expect(box?.width).toBe(16);
});

test("the list works without JavaScript: rows, count and facet links", async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({ javaScriptEnabled: false, baseURL });
  const page = await context.newPage();
  await signIn(page);
  await page.goto(listUrl());
  await expect(rows(page)).toHaveCount(50);
  await expect(rows(page).first()).toBeVisible();
  // The count and facets stream in after the rows; without a script they are shown where they land.
  await expect(total(page)).toBeVisible();
  await expect(total(page)).toHaveText(String(GENERATED + 2));
  await expect(page.locator(".streaming-fallback:visible")).toHaveCount(0);
  await page
    .getByRole("complementary", { name: "Counts by facet" })
    .getByRole("link", { name: /^Call/ })
    .click();
  await expect(page).toHaveURL(/type=call/);
  await expect(total(page)).toHaveText(String(expected((i) => i % 5 === 0)));
  await expect(rows(page)).toHaveCount(expected((i) => i % 5 === 0));
  await context.close();
});

test("the list loads with nothing missing, its icon included, and opens a row in place", async ({
  page,
  playwright,
}) => {
  await signIn(page);
  const failed: string[] = [];
  page.on("response", (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto(listUrl());
  await expect(rows(page).first()).toBeVisible();
  const icon = await page.locator('link[rel="icon"]').getAttribute("href");
  expect(icon).toMatch(/^\/icon\.svg/);
  // A client-side navigation keeps the document: the marker set on it survives the click.
  await page.evaluate(() => Object.assign(window, { listDocument: true }));
  await rows(page).first().getByRole("link").click();
  await expect(page).toHaveURL(/\/engagements\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  expect(await page.evaluate(() => "listDocument" in window)).toBe(true);
  expect(failed).toEqual([]);
  // The sign-in screen shows the icon too: it needs no session.
  const signedOut = await playwright.request.newContext({ baseURL: page.url() });
  const res = await signedOut.get(icon!, { maxRedirects: 0 });
  expect(res.status()).toBe(200);
  expect(res.headers()["content-type"]).toContain("image/svg+xml");
  await signedOut.dispose();
});
