import { expect, test } from "@playwright/test";
import { engagementEvent, fixture } from "../helpers/morph";
import { postEvent, signIn } from "./support";

/** A company page rolls up its opportunities' engagements, marks them, and can show direct ones only. */
const OWNER = "rollup-e2e";
const CONNECTION = `hubspot:${OWNER}`;
const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });

test.beforeAll(async ({ request }) => {
  const events = [
    fixture("user-created"),
    fixture("contact-created"),
    fixture("company-created"),
    fixture("opportunity-created"),
    engagementEvent("rollup-direct", "2025-03-05T10:00:00Z", {
      action: "created",
      fields: { title: "Call naming the company", companies: [ref("genericCompany", "7001")] },
    }),
    engagementEvent("rollup-via", "2025-03-06T10:00:00Z", {
      action: "created",
      fields: {
        title: "Call on the renewal only",
        startedAt: "2025-03-06T09:00:00.000Z",
        opportunities: [ref("crmOpportunity", "4401")],
      },
    }),
  ];
  for (const body of events) {
    expect((await postEvent(request, body, { owner: OWNER })).status()).toBe(200);
  }
});

test("a company page rolls up its deals, marks the rows, and switches to direct only", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/companies/7001?connection=${encodeURIComponent(CONNECTION)}`);
  const rows = page.getByTestId("engagement-row");
  await expect(rows).toHaveCount(2);
  const viaRow = rows.filter({ hasText: "Call on the renewal only" });
  await expect(viaRow.getByRole("link", { name: /^via Acme — Enterprise renewal$/ })).toBeVisible();
  await expect(rows.filter({ hasText: "Call naming the company" }).getByText(/^via /)).toHaveCount(
    0,
  );

  // The company's own relations, resolved and linked.
  await expect(
    page.getByRole("link", { name: "Acme — Enterprise renewal", exact: true }),
  ).toBeVisible();
  await expect(page.getByRole("listitem").filter({ hasText: "Marco Ibáñez" })).toContainText(
    "2 engagements",
  );

  await page.getByRole("link", { name: "Direct only" }).click();
  await expect(page).toHaveURL(/rollup=0/);
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("Call naming the company");
  await expect(page.getByRole("link", { name: "Direct only" })).toHaveAttribute(
    "aria-current",
    "page",
  );

  await page.getByRole("link", { name: "With its opportunities" }).click();
  await expect(rows).toHaveCount(2);
  await rows
    .filter({ hasText: "Call on the renewal only" })
    .getByRole("link", { name: /^via / })
    .click();
  await expect(page).toHaveURL(/\/opportunities\/4401\?connection=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Acme — Enterprise renewal");
  // The opportunity's own owner, contacts and companies, resolved and linked.
  for (const name of ["Dana Whitfield", "Marco Ibáñez", "Acme Logistics"]) {
    await expect(page.getByRole("link", { name, exact: true }).first()).toBeVisible();
  }
});
