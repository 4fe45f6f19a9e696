import { expect, test } from "@playwright/test";
import { fixture } from "../helpers/morph";
import { expectAccessible } from "./accessibility";
import { E2E_APP_PASSWORD, postEvent, signIn } from "./support";

/**
 * An engagement's history on its page: what each version changed, with names for ids, each
 * version linked to the delivery that made it and back. In its own connection, in a zone that
 * is not UTC.
 */
const OWNER = "history-e2e";
const ZONE = "America/Los_Angeles";
const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });

test.use({ bypassCSP: true, timezoneId: ZONE, locale: "en-US" });

function call(updatedAt: string, fields: Record<string, unknown>, action = "updated") {
  return {
    event: `crmEngagement::${action}`,
    data: {
      object: "resource",
      model: "crmEngagement",
      id: "history-1",
      fields: {
        type: "call",
        status: "planned",
        title: "Pricing call",
        startedAt: "2025-03-06T17:00:00.000Z",
        owner: ref("genericUser", "501"),
        ...fields,
      },
      createdAt: "2025-03-05T00:00:00.000Z",
      updatedAt,
    },
  };
}

type Version = { deliveryId: number; receivedAt: string };
let engagementId = "";
let versions: Version[] = [];

test.beforeAll(async ({ request }) => {
  const erik = fixture("user-created");
  erik.data = {
    ...erik.data,
    id: "502",
    fields: { firstName: "Erik", lastName: "Lund", email: "erik@seller.example" },
  };
  const posts = [
    fixture("user-created"),
    erik,
    call("2025-03-06T10:00:00.000Z", {}, "created"),
    call("2025-03-06T18:00:00.000Z", { status: "completed", owner: ref("genericUser", "502") }),
    {
      event: "crmEngagement::deleted",
      data: {
        object: "resource",
        model: "crmEngagement",
        id: "history-1",
        updatedAt: "2025-03-07T09:00:00.000Z",
      },
    },
  ];
  let lastDelivery = "";
  for (const body of posts) {
    const response = await postEvent(request, body, { owner: OWNER });
    expect(response.status()).toBe(200);
    lastDelivery = response.headers()["x-delivery-id"]!;
  }
  await request.get(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`);
  const delivery = await (await request.get(`/api/deliveries/${lastDelivery}`)).json();
  engagementId = String(delivery.engagementId);
  const engagement = await (await request.get(`/api/engagements/${engagementId}`)).json();
  versions = engagement.history;
  expect(versions).toHaveLength(3);
});

test("read an engagement's history and follow a version to its delivery and back", async ({
  page,
}) => {
  await signIn(page);
  await page.goto(`/engagements/${engagementId}`);
  const history = page.getByRole("region", { name: "History" });
  const entries = history.getByTestId("history-version");
  await expect(entries).toHaveCount(3);

  const second = entries.nth(1);
  await expect(second).toContainText("Version 2: Updated");
  await expect(second.getByTestId("history-change")).toHaveText([
    "status Planned → Completed",
    "owner Dana Whitfield → Erik Lund",
  ]);
  await expect(entries.nth(2).getByTestId("history-change")).toHaveText(["deleted"]);
  // The first version lists what it set: names, and the start in the viewer's zone.
  const first = entries.nth(0).getByTestId("history-change");
  await expect(first.filter({ hasText: "owner" })).toHaveText("owner Dana Whitfield");
  await expect(first.filter({ hasText: "startedAt" })).toContainText("09:00 AM");
  const received = new Intl.DateTimeFormat("en-US", {
    timeZone: ZONE,
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(versions[1]!.receivedAt));
  await expect(second).toContainText(received);
  await expectAccessible(page);

  const deliveryId = versions[1]!.deliveryId;
  await second.getByRole("link", { name: `delivery ${deliveryId}` }).click();
  await expect(page).toHaveURL(new RegExp(`/deliveries/${deliveryId}$`));
  const back = page.getByRole("link", { name: "version 2 in the engagement's history" });
  await expect(back).toBeVisible();
  await expectAccessible(page);

  await back.click();
  await expect(page).toHaveURL(new RegExp(`/engagements/${engagementId}#version-2$`));
  await expect(page.locator("#version-2")).toBeInViewport();
});
