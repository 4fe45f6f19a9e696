import { expect, test, type Page } from "@playwright/test";
import { fixture } from "../helpers/morph";
import { expectAccessible } from "./accessibility";
import { postEvent, signIn } from "./support";

/**
 * The pages a sales-ops person moves between: the list and back again, one engagement whole,
 * and the company and opportunity it is about. A connection of this file's own, so the counts
 * are its own.
 */
const OWNER = "pages-e2e";
const CONNECTION = `hubspot:${OWNER}`;
const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });

const GENERATED = 12;
/** i even → owner 501 (Dana), odd → 502 (Lee); type by i % 3; i % 4 === 0 → opportunity 4401. */
function generated(i: number) {
  const startedAt = new Date(Date.UTC(2025, 1, 3, 9) + i * 86_400_000).toISOString();
  const type = ["call", "email", "note"][i % 3];
  return {
    event: "crmEngagement::created",
    data: {
      object: "resource",
      model: "crmEngagement",
      id: `pages-${i}`,
      fields: {
        type,
        status: "completed",
        title: `Pages ${type} ${i}`,
        startedAt,
        owner: ref("genericUser", i % 2 ? "502" : "501"),
        contacts: [ref("genericContact", "9001")],
        companies: [ref("genericCompany", "7001")],
        opportunities: i % 4 === 0 ? [ref("crmOpportunity", "4401")] : [],
      },
      createdAt: startedAt,
      updatedAt: startedAt,
    },
  };
}
const generatedWhere = (predicate: (i: number) => boolean) =>
  Array.from({ length: GENERATED }, (_, i) => i).filter(predicate);

/** Kept with warnings rather than dropped: an unknown type and a negative duration. */
const ODD = {
  event: "crmEngagement::created",
  data: {
    object: "resource",
    model: "crmEngagement",
    id: "pages-odd",
    fields: {
      type: "sms",
      title: "Text message to Marco",
      startedAt: "2025-03-20T10:00:00.000Z",
      duration: -5,
      owner: ref("genericUser", "501"),
      contacts: [ref("genericContact", "9001")],
      companies: [ref("genericCompany", "7001")],
    },
    createdAt: "2025-03-20T10:00:00.000Z",
    updatedAt: "2025-03-20T10:00:00.000Z",
  },
};

const LEE = {
  event: "genericUser::created",
  data: {
    object: "resource",
    model: "genericUser",
    id: "502",
    fields: { firstName: "Lee", lastName: "Okafor", email: "lee@seller.example" },
    updatedAt: "2025-01-01T00:00:00.000Z",
  },
};

test.use({ bypassCSP: true });

// Fixed keys: a second run against the same server is answered as duplicates.
test.beforeAll(async ({ request }) => {
  const events: [string, unknown][] = [
    ...["user-created", "contact-created", "company-created", "opportunity-created"].map(
      (name) => [name, fixture(name)] as [string, unknown],
    ),
    ["lee", LEE],
    ["call", fixture("engagement-call-created")],
    ["meeting", fixture("engagement-meeting-updated")],
    ["odd", ODD],
    ...Array.from({ length: GENERATED }, (_, i) => [`gen-${i}`, generated(i)] as [string, unknown]),
  ];
  for (const [name, body] of events) {
    const res = await postEvent(request, body, { owner: OWNER, key: `${OWNER}-${name}` });
    expect(res.status(), name).toBe(200);
  }
});

const rows = (page: Page) => page.getByTestId("engagement-row");
const total = (page: Page) => page.getByTestId("total-count");
const titles = (page: Page) => rows(page).locator("td:nth-child(2) a").allInnerTexts();

test("the back button from an engagement restores the list's filters and rows", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/engagements?connection=${encodeURIComponent(CONNECTION)}`);
  // The generated ones, the call, the meeting and the odd one.
  await expect(total(page)).toHaveText(String(GENERATED + 3));

  // Owner through the picker, a type facet, then the search form.
  await page.getByRole("combobox", { name: "Owner" }).fill("whitfield");
  await page.getByRole("option", { name: /Dana Whitfield/ }).click();
  await expect(page).toHaveURL(/owner=501/);
  await page
    .getByRole("complementary", { name: "Counts by facet" })
    .getByRole("link", { name: /^Call/ })
    .click();
  await expect(page).toHaveURL(/type=call/);
  await page.getByLabel("Search title and description").fill("pages");
  await page.getByLabel("Deleted", { exact: true }).selectOption("include");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/q=pages/);

  // Dana's generated calls: i even and i % 3 === 0.
  const expected = generatedWhere((i) => i % 2 === 0 && i % 3 === 0).map((i) => `Pages call ${i}`);
  await expect(total(page)).toHaveText(String(expected.length));
  await expect(rows(page)).toHaveCount(expected.length);
  const before = { url: page.url(), titles: await titles(page) };
  expect([...before.titles].sort()).toEqual([...expected].sort());
  const chips = page.getByLabel("Active filters");
  const chipTexts = await chips.locator("> span").allInnerTexts();
  expect(chipTexts).toEqual(
    expect.arrayContaining(["Owner: Dana Whitfield", expect.stringMatching(/Call/)]),
  );
  await expectAccessible(page);

  await rows(page).first().getByRole("link").click();
  await expect(page).toHaveURL(/\/engagements\/\d+$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(before.titles[0]!);

  await page.goBack();
  await expect(page).toHaveURL(before.url);
  await expect(total(page)).toHaveText(String(expected.length));
  await expect(rows(page)).toHaveCount(expected.length);
  expect(await titles(page)).toEqual(before.titles);
  expect(await chips.locator("> span").allInnerTexts()).toEqual(chipTexts);
  await expect(page.getByLabel("Search title and description")).toHaveValue("pages");
  await expect(page.getByLabel("Deleted", { exact: true })).toHaveValue("include");
  // The facet link for the type in use is the one that removes it again.
  await expect(
    page.getByRole("complementary", { name: "Counts by facet" }).getByRole("link", {
      name: /^Call/,
    }),
  ).toHaveAttribute("aria-current", /.+/);
});

test("an engagement shows its warnings, a contact's phone, and its raw JSON collapsed", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/engagements?connection=${encodeURIComponent(CONNECTION)}&q=marco`);
  await page.getByRole("link", { name: "Text message to Marco" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Text message to Marco");

  const warnings = page.getByRole("region", { name: /warnings? on the last snapshot/ });
  await expect(warnings.getByRole("heading")).toHaveText("2 warnings on the last snapshot");
  await expect(warnings.getByRole("listitem")).toHaveCount(2);
  await expect(warnings).toContainText('fields.type: unknown value "sms"');
  await expect(warnings).toContainText("fields.duration: expected whole seconds >= 0");

  const marco = page.getByTestId("ref-genericContact-9001");
  await expect(marco.getByRole("link")).toHaveText("Marco Ibáñez");
  await expect(marco).toContainText("marco@acme.example · +34 600 000 001");

  const raw = page.locator("details").filter({ hasText: "Raw fields as received (JSON)" });
  await expect(raw).not.toHaveAttribute("open");
  await expect(raw.locator("pre")).toBeHidden();
  await expectAccessible(page);
  await raw.getByText("Raw fields as received (JSON)").click();
  await expect(raw).toHaveAttribute("open");
  await expect(raw.locator("pre")).toBeVisible();
  // The odd values as received, not dropped or "fixed".
  await expect(raw.locator("pre")).toContainText('"type": "sms"');
  await expect(raw.locator("pre")).toContainText('"duration": -5');
});

test("a company page: the company, and the engagements with it", async ({ page }) => {
  await signIn(page);
  await page.goto(`/engagements?connection=${encodeURIComponent(CONNECTION)}&q=pricing`);
  await page.getByRole("link", { name: "Pricing follow-up" }).click();
  await page
    .getByRole("region", { name: "People and records" })
    .getByRole("link", { name: "Acme Logistics" })
    .click();

  await expect(page).toHaveURL(/\/companies\/7001\?connection=hubspot%3Apages-e2e/);
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1 }) });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme Logistics");
  await expect(header).toContainText(`Company · ${CONNECTION}`);
  await expect(header).not.toContainText("not synced yet");
  await expect(page.getByRole("heading", { name: "Engagements with this company" })).toBeVisible();
  // Every engagement of the connection names the company: the call, the meeting, the odd one.
  await expect(total(page)).toHaveText(String(GENERATED + 3));
  await expect(rows(page)).toHaveCount(GENERATED + 3);
  for (const title of ["Pricing follow-up", "Security review with IT", "Text message to Marco"]) {
    await expect(rows(page).filter({ hasText: title })).toHaveCount(1);
  }
  await expectAccessible(page);

  // Its timeline takes the list's filters, the company staying fixed.
  await page
    .getByRole("complementary", { name: "Counts by facet" })
    .getByRole("link", { name: /^Email/ })
    .click();
  await expect(page).toHaveURL(/\/companies\/7001\?.*type=email/);
  const emails = generatedWhere((i) => i % 3 === 1);
  await expect(total(page)).toHaveText(String(emails.length));
  expect([...(await titles(page))].sort()).toEqual(emails.map((i) => `Pages email ${i}`).sort());
});

test("an opportunity page: the opportunity, its amount, and the engagements on it", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/engagements?connection=${encodeURIComponent(CONNECTION)}&q=pricing`);
  await page.getByRole("link", { name: "Pricing follow-up" }).click();
  await page
    .getByRole("region", { name: "People and records" })
    .getByRole("link", { name: "Acme — Enterprise renewal" })
    .click();

  await expect(page).toHaveURL(/\/opportunities\/4401\?connection=hubspot%3Apages-e2e/);
  const header = page.locator("header").filter({ has: page.getByRole("heading", { level: 1 }) });
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme — Enterprise renewal");
  await expect(header).toContainText(`Opportunity · ${CONNECTION}`);
  await expect(header).toContainText("€48,000.00");
  await expect(
    page.getByRole("heading", { name: "Engagements on this opportunity" }),
  ).toBeVisible();
  // The call, the meeting and every fourth generated one reference it; the odd one does not.
  const onIt = [
    "Pricing follow-up",
    "Security review with IT",
    ...generatedWhere((i) => i % 4 === 0).map(titleOf),
  ];
  await expect(total(page)).toHaveText(String(onIt.length));
  expect([...(await titles(page))].sort()).toEqual([...onIt].sort());
  await expectAccessible(page);
});

function titleOf(i: number) {
  return generated(i).data.fields.title;
}
