import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { expectAccessible } from "./accessibility";
import { postEvent, signIn } from "./support";

const run = randomUUID().slice(0, 8);
const key = `dup-${run}`;
const engagementId = `eng-${run}`;

function snapshot(updatedAt: string, title: string) {
  return {
    event: "crmEngagement::created",
    data: {
      object: "resource",
      model: "crmEngagement",
      id: engagementId,
      fields: {
        type: "call",
        direction: "outbound",
        status: "completed",
        title,
        startedAt: "2025-03-06T09:00:00.000Z",
        duration: 600,
      },
      createdAt: "2025-03-06T09:00:00.000Z",
      updatedAt,
      rawResource: null,
      warnings: [],
    },
  };
}

const original = snapshot("2025-03-06T09:30:00.000Z", `Pricing call ${run}`);

test.beforeAll(async ({ request }) => {
  const first = await postEvent(request, original, { key });
  expect(first.status()).toBe(200);
  // Morph retries: the same key and body twice more.
  for (let i = 0; i < 2; i++) {
    const again = await postEvent(request, original, { key });
    expect(again.status()).toBe(200);
    expect(again.headers()["x-delivery-outcome"]).toBe("duplicate");
  }
  // The same key with a different body.
  const conflict = await postEvent(
    request,
    snapshot("2025-03-06T10:00:00.000Z", `Changed ${run}`),
    { key },
  );
  expect(conflict.status()).toBe(409);
  // A bad envelope, and a payload that tries to become markup.
  const rejected = await postEvent(request, {
    event: "crmEngagement::exploded",
    data: { id: `<img src=x onerror=alert(1)>-${run}` },
  });
  expect(rejected.status()).toBe(422);
  // Odd fields are kept, with warnings.
  const odd = snapshot("2025-03-06T09:00:00.000Z", `Odd ${run}`);
  odd.data.id = `odd-${run}`;
  (odd.data.fields as Record<string, unknown>).type = "sms";
  expect((await postEvent(request, odd, { key: `warn-${run}` })).status()).toBe(200);
});

test("the delivery log: filter, find the duplicate and its count, open one whole", async ({
  page,
}) => {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await signIn(page);
  await page.goto("/deliveries");
  await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();

  // The outcome pills toggle: each adds its outcome or takes it away; the URL carries them all.
  const pills = page.getByRole("navigation", { name: "Outcome counts" });
  const pill = (name: string) => pills.getByRole("link", { name: new RegExp(`^${name} \\d+$`) });
  const rows = page.locator("tbody tr");
  const outcomeCells = () => rows.locator("td:nth-child(6)").allTextContents();
  await page.goto(`/deliveries?key=${key}`);
  await expect(rows).toHaveCount(4);
  await pill("duplicate").click();
  await expect(page).toHaveURL(/[?&]outcome=duplicate(&|$)/);
  await expect(rows).toHaveCount(2);
  expect(new Set(await outcomeCells())).toEqual(new Set(["duplicate"]));
  await pill("conflict").click();
  await expect(page).toHaveURL(/outcome=duplicate&outcome=conflict/);
  await expect(rows).toHaveCount(3);
  expect(new Set(await outcomeCells())).toEqual(new Set(["duplicate", "conflict"]));
  await expect(pill("duplicate")).toHaveAttribute("aria-current", "true");
  await expect(pill("conflict")).toHaveAttribute("aria-current", "true");
  await expect(pill("applied")).not.toHaveAttribute("aria-current");
  await expect(page.getByText("3 shown of 3 matching")).toBeVisible();
  // The form keeps the chosen outcomes when another filter is applied.
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/outcome=duplicate&outcome=conflict/);
  await pill("duplicate").click();
  await expect(rows).toHaveCount(1);
  expect(await outcomeCells()).toEqual(["conflict"]);
  await pill("All").click();
  await expect(page).not.toHaveURL(/outcome=/);
  await expect(rows).toHaveCount(4);

  // Several events through the form's picker: each ticked one is its own `event=`.
  await page.goto("/deliveries");
  await page.locator("summary", { hasText: "Any" }).click();
  await page.getByRole("checkbox", { name: "crmEngagement::exploded" }).check();
  await page.getByRole("checkbox", { name: "crmEngagement::created" }).check();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(
    /event=crmEngagement%3A%3Acreated&event=crmEngagement%3A%3Aexploded/,
  );
  await expect(page.locator("summary", { hasText: "2 events" })).toBeVisible();
  const events = await rows.locator("td:nth-child(4)").allTextContents();
  expect(new Set(events)).toEqual(new Set(["crmEngagement::created", "crmEngagement::exploded"]));
  await page.goto(`/deliveries?key=${key}&event=crmEngagement::exploded`);
  await expect(page.getByText("No delivery matches these filters")).toBeVisible();

  // The key's whole story: the original carries the repeat count.
  await page.goto(`/deliveries?key=${key}`);
  await expect(rows).toHaveCount(4);
  const firstRow = rows.last();
  await expect(firstRow.locator("td:nth-child(6)")).toHaveText("applied");
  await expect(firstRow.locator("td:nth-child(8)")).toHaveText("×3");
  await expect(rows.first().locator("td:nth-child(6)")).toHaveText("conflict");
  await expect(rows.first().locator("td:nth-child(7)")).toHaveText("409");
  // The resource links to the engagement it touched.
  await expect(firstRow.getByRole("link", { name: engagementId })).toHaveAttribute(
    "href",
    /^\/engagements\/\d+$/,
  );

  // Times are shown in the viewer's timezone (the browser runs in Europe/Madrid).
  const time = firstRow.locator("time");
  const iso = await time.getAttribute("datetime");
  const madridHour = new Intl.DateTimeFormat("en-GB", {
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "Europe/Madrid",
  }).format(new Date(iso!));
  await expect(time).toContainText(madridHour);
  await expect(time).toContainText(/\((now|.+ ago)\)/);

  await page.screenshot({ path: "test-results/deliveries.png", fullPage: true });

  // Open a duplicate: it points at the delivery that bound the key.
  await rows
    .nth(1)
    .getByRole("link", { name: /^Delivery \d+$/ })
    .click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("duplicate");
  await expect(page.getByText(/repeats \(same key, same body, response replayed\)/)).toBeVisible();
  await page
    .getByRole("link", { name: /^delivery \d+$/ })
    .first()
    .click();

  // The original, whole: summary, headers, body, response, repeats.
  await expect(page.getByRole("heading", { level: 1 })).toContainText("applied");
  await expect(page.getByText("This key came back 3 times")).toBeVisible();
  const headers = page.locator("#headers");
  await expect(headers.getByRole("row", { name: /x-idempotency-key/ })).toContainText(key);
  await expect(headers.getByRole("row", { name: /x-auth-method/ })).toContainText("token");
  await expect(headers).not.toContainText("e2e-webhook-secret");
  const body = page.locator("#body");
  await expect(body).toContainText(`"title": "Pricing call ${run}"`);
  // The response is the event echoed: collapsed, one click away.
  const response = page.locator("#response");
  await expect(response.locator("pre")).toBeHidden();
  await response.getByText("Show response").click();
  await expect(response.locator("pre")).toContainText(`"id": "${engagementId}"`);
  await expect(page.locator("#summary")).toContainText(`Pricing call ${run}`);
  await page.screenshot({ path: "test-results/delivery-detail.png", fullPage: true });

  // A conflict shows its error and the original.
  await page.goto(`/deliveries?key=${key}&outcome=conflict`);
  await rows
    .first()
    .getByRole("link", { name: /^Delivery \d+$/ })
    .click();
  await expect(page.locator("#error")).toContainText("idempotency_conflict");
  await expect(page.getByText(/Its body differs, so it was refused with 409/)).toBeVisible();

  // A hostile payload is shown as text, never as markup.
  await page.goto(`/deliveries?outcome=rejected&event=crmEngagement::exploded`);
  const hostile = rows.filter({ hasText: `-${run}` });
  await expect(hostile).toContainText(`<img src=x onerror=alert(1)>-${run}`);
  await hostile.getByRole("link", { name: /^Delivery \d+$/ }).click();
  await expect(page.locator("#error")).toContainText("invalid_event");
  await expect(page.locator("#body img")).toHaveCount(0);
  expect(dialogs).toEqual([]);
});

test("filters from the URL combine, bad values are ignored, unknown ids are 404", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/deliveries?resource=${engagementId}&outcome=applied&limit=banana&from=never`);
  await expect(page.locator("tbody tr")).toHaveCount(1);
  await page.goto(`/deliveries?key=${key}&limit=2`);
  await expect(page.locator("tbody tr")).toHaveCount(2);
  await page.getByRole("link", { name: "Older" }).click();
  await expect(page.locator("tbody tr")).toHaveCount(2);
  await expect(page.getByRole("link", { name: "Older" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Newest" })).toBeVisible();

  await page.goto(`/deliveries?key=warn-${run}`);
  await expect(page.locator("tbody tr")).toContainText("1 warnings");
  await page
    .locator("tbody tr")
    .getByRole("link", { name: /^Delivery \d+$/ })
    .click();
  await expect(page.locator("#warnings")).toContainText('fields.type: unknown value "sms"');

  await page.goto(`/deliveries?key=no-such-key-${run}`);
  await expect(page.getByText("No delivery matches these filters")).toBeVisible();

  const missing = await page.goto("/deliveries/999999999");
  expect(missing?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Not found" })).toBeVisible();
  expect((await page.goto("/deliveries/abc"))?.status()).toBe(404);
});

test.describe("a key sent again", () => {
  // axe-core is injected as a script the page's CSP would refuse.
  test.use({ bypassCSP: true });

  test("the delivery says how often and when it was last repeated", async ({ page, request }) => {
    const repeatKey = `repeat-${run}`;
    const body = snapshot("2025-03-06T09:30:00.000Z", `Repeated ${run}`);
    body.data.id = `repeat-${run}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      // Apart by more than the log's millisecond, so the first repeat and the last differ.
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 50));
      const res = await postEvent(request, body, { key: repeatKey });
      expect(res.status()).toBe(200);
      expect(res.headers()["x-delivery-outcome"]).toBe(i === 0 ? "applied" : "duplicate");
      ids.push(res.headers()["x-delivery-id"]!);
    }
    await signIn(page);
    const received = async (id: string) =>
      ((await (await page.request.get(`/api/deliveries/${id}`)).json()) as { receivedAt: string })
        .receivedAt;
    const firstRepeat = await received(ids[1]!);
    const lastRepeat = await received(ids[2]!);
    expect(Date.parse(lastRepeat)).toBeGreaterThan(Date.parse(firstRepeat));
    const original = (await (await page.request.get(`/api/deliveries/${ids[0]}`)).json()) as {
      repeatCount: number;
      lastRepeatAt: string;
    };
    expect(original).toMatchObject({ repeatCount: 2, lastRepeatAt: lastRepeat });

    await page.goto(`/deliveries/${ids[0]}`);
    const note = page.getByText(/This key came back/);
    await expect(note).toContainText("This key came back 2 times; the last on");
    const time = note.locator("time");
    await expect(time).toHaveAttribute("datetime", new Date(lastRepeat).toISOString());
    // In the viewer's zone (the browser runs in Europe/Madrid).
    const madrid = new Intl.DateTimeFormat("en-GB", {
      year: "numeric",
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
      timeZone: "Europe/Madrid",
    }).format(new Date(lastRepeat));
    await expect(time).toContainText(madrid);
    await expect(page.getByRole("link", { name: `delivery ${ids[2]}` })).toBeVisible();
    await expectAccessible(page);

    // The log row carries the count, and the same instant.
    await page.goto(`/deliveries?key=${repeatKey}&outcome=applied`);
    const repeats = page.locator("tbody tr td:nth-child(8) span");
    await expect(repeats).toHaveText("×2");
    await expect(repeats).toHaveAttribute("title", `last ${lastRepeat}`);
    await expectAccessible(page);
  });
});
