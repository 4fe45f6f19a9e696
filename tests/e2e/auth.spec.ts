import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
  type BrowserContext,
} from "@playwright/test";
import { randomUUID } from "node:crypto";
import { fixture } from "../helpers/morph";
import { E2E_APP_PASSWORD, E2E_WEBHOOK_SECRET, postEvent } from "./support";

const PAGES = [
  "/engagements",
  "/deliveries",
  "/deliveries/1",
  "/engagements/1",
  "/users/x",
  "/contacts/x",
  "/companies/x",
  "/opportunities/x",
];
const READ_API = ["/api/engagements", "/api/engagements/1", "/api/deliveries", "/api/records"];

/** A connection of this file's own, so what it posts is told apart from the other files' data. */
const OWNER = "auth-spec";
const CONNECTION = `hubspot:${OWNER}`;
const ENGAGEMENT = fixture("engagement-call-created");
const USER = fixture("user-created");

let anonymous: APIRequestContext;
let signedIn: APIRequestContext;
/** The engagement and the delivery this file posted, as the app numbered them. */
let engagementId: string;
let deliveryId: string;
const deliveryKey = `auth-spec-${randomUUID()}`;

/** A `Set-Cookie` value as its `name=value` and its attributes, sorted. */
/** The session's cookie alone: the viewer's time zone (`tz`) is kept in a cookie of its own. */
async function sessionCookies(context: BrowserContext) {
  return (await context.cookies()).filter((cookie) => cookie.name === "ev_session");
}

function splitCookie(header: string | undefined) {
  const [pair, ...attributes] = (header ?? "").split(/;\s*/);
  return { pair, attributes: attributes.sort() };
}

test.beforeAll(async ({ baseURL }) => {
  anonymous = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
  signedIn = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
  const res = await signedIn.get(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`);
  expect(res.status()).toBe(303);
  expect(res.headers()["location"]).toBe("/engagements");

  expect((await postEvent(anonymous, USER, { owner: OWNER })).status()).toBe(200);
  const posted = await postEvent(anonymous, ENGAGEMENT, { owner: OWNER, key: deliveryKey });
  expect(posted.status()).toBe(200);
  deliveryId = posted.headers()["x-delivery-id"];
  expect(deliveryId).toMatch(/^\d+$/);
  const list = await signedIn.get(`/api/engagements?connection=${CONNECTION}`);
  const [engagement] = (await list.json()).data;
  expect(engagement.externalId).toBe(ENGAGEMENT.data.id);
  engagementId = engagement.id;
});

test.afterAll(async () => {
  await anonymous.dispose();
  await signedIn.dispose();
});

test.describe("anonymous", () => {
  for (const path of PAGES) {
    test(`page ${path} redirects to /login with next`, async () => {
      const res = await anonymous.get(path);
      expect(res.status()).toBe(307);
      expect(res.headers()["location"]).toBe(`/login?next=${encodeURIComponent(path)}`);
    });
  }
  for (const path of READ_API) {
    test(`API ${path} answers 401`, async () => {
      const res = await anonymous.get(path);
      expect(res.status()).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    });
  }

  test("health and the webhook need no session", async () => {
    const health = await anonymous.get("/api/health");
    expect(health.status()).toBe(200);
    expect(await health.json()).toEqual({ ok: true });
    const event = {
      event: "crmEngagement::created",
      data: {
        object: "resource",
        model: "crmEngagement",
        id: `auth-${Date.now()}`,
        fields: { type: "note", startedAt: "2025-03-06T09:00:00.000Z" },
        createdAt: "2025-03-06T09:00:00.000Z",
        updatedAt: "2025-03-06T09:00:00.000Z",
      },
    };
    expect((await postEvent(anonymous, event)).status()).toBe(200);
    // The webhook still has its own auth: no token, no entry.
    const noToken = await anonymous.post("/api/webhooks/morph", {
      headers: { "content-type": "application/json", "x-idempotency-key": "k" },
      data: JSON.stringify(event),
    });
    expect(noToken.status()).toBe(401);
    expect(noToken.headers()["www-authenticate"]).toBe("Bearer");
    expect((await noToken.json()).error.code).toBe("unauthorized");
  });
});

test.describe("wrong credentials", () => {
  test("a wrong password goes back to /login with an error and sets no cookie", async () => {
    const res = await anonymous.post("/api/session", {
      form: { password: "not-the-password", next: "/deliveries" },
    });
    expect(res.status()).toBe(303);
    expect(res.headers()["location"]).toBe("/login?error=invalid&next=%2Fdeliveries");
    expect(res.headers()["set-cookie"]).toBeUndefined();
  });

  test("a wrong sign-in link goes to /login with an error", async () => {
    const res = await anonymous.get("/api/session?token=guess");
    expect(res.status()).toBe(303);
    expect(res.headers()["location"]).toBe("/login?error=invalid");
  });

  test("the UI password opens no webhook, and the webhook secret signs nobody in", async () => {
    const withPassword = await anonymous.post(
      `/api/webhooks/morph?token=${encodeURIComponent(E2E_APP_PASSWORD)}`,
      {
        headers: {
          "content-type": "application/json",
          "x-conector-id": "hubspot",
          "x-owner-id": OWNER,
          "x-idempotency-key": randomUUID(),
        },
        data: JSON.stringify(ENGAGEMENT),
      },
    );
    expect(withPassword.status()).toBe(401);
    expect((await withPassword.json()).error.code).toBe("unauthorized");

    const withSecret = await anonymous.get(
      `/api/session?token=${encodeURIComponent(E2E_WEBHOOK_SECRET)}`,
      { headers: { "x-forwarded-for": "198.51.100.78" } },
    );
    expect(withSecret.status()).toBe(303);
    expect(withSecret.headers()["location"]).toBe("/login?error=invalid");
    expect(withSecret.headers()["set-cookie"]).toBeUndefined();
  });

  test("a forged or outdated cookie opens nothing", async () => {
    for (const cookie of ["ev_session=forged", "ev_session=", `ev_session=${E2E_APP_PASSWORD}`]) {
      for (const path of PAGES) {
        const res = await anonymous.get(path, { headers: { cookie } });
        expect(res.status(), `${path} with ${cookie}`).toBe(307);
      }
      for (const path of READ_API) {
        const res = await anonymous.get(path, { headers: { cookie } });
        expect(res.status(), `${path} with ${cookie}`).toBe(401);
      }
    }
  });

  test("the 11th failure in a minute from one client gets 429 with Retry-After", async () => {
    const client = { "x-forwarded-for": "198.51.100.77" };
    for (let i = 0; i < 10; i++) {
      const res = await anonymous.post("/api/session", {
        form: { password: `guess-${i}` },
        headers: client,
      });
      expect(res.status()).toBe(303);
    }
    const blocked = await anonymous.post("/api/session", {
      form: { password: E2E_APP_PASSWORD },
      headers: client,
    });
    expect(blocked.status()).toBe(429);
    expect(Number(blocked.headers()["retry-after"])).toBeGreaterThan(0);
    expect(blocked.headers()["set-cookie"]).toBeUndefined();
  });
});

test.describe("signed in", () => {
  test("every page is served with its content, not the login", async () => {
    const pages: [path: string, status: number, text: string][] = [
      [
        `/engagements?connection=${CONNECTION}`,
        200,
        (ENGAGEMENT.data.fields as { title: string }).title,
      ],
      [`/engagements/${engagementId}`, 200, "Walked through the enterprise tier"],
      ["/engagements/999999999", 404, "No such engagement"],
      [`/deliveries?connection=${CONNECTION}`, 200, deliveryKey],
      [`/deliveries/${deliveryId}`, 200, deliveryKey],
      ["/deliveries/999999999", 404, "Not found"],
      [`/users/501?connection=${CONNECTION}`, 200, "Dana Whitfield"],
      ["/users/x", 404, "Not found"],
      ["/contacts/x", 404, "Not found"],
      ["/companies/x", 404, "Not found"],
      ["/opportunities/x", 404, "Not found"],
    ];
    // Every page the anonymous tests were turned away from is among them.
    for (const path of PAGES) {
      const pattern = new RegExp(`^${path.replace(/\/(1|x)$/, "/[^/?]+")}(\\?|$)`);
      expect(
        pages.some(([p]) => pattern.test(p)),
        path,
      ).toBe(true);
    }
    for (const [path, status, text] of pages) {
      const res = await signedIn.get(path);
      expect(res.status(), path).toBe(status);
      expect(res.headers()["location"], path).toBeUndefined();
      const html = await res.text();
      expect(html, path).toContain(text);
      expect(html, path).not.toContain('name="password"');
    }
  });

  test("the read API answers from its handlers", async () => {
    const list = await signedIn.get(`/api/engagements?connection=${CONNECTION}`);
    expect(list.status()).toBe(200);
    const page = await list.json();
    expect(page.data.map((e: { externalId: string }) => e.externalId)).toEqual([
      ENGAGEMENT.data.id,
    ]);
    expect(page.nextCursor).toBeNull();

    const one = await signedIn.get(`/api/engagements/${engagementId}`);
    expect(one.status()).toBe(200);
    const engagement = await one.json();
    expect(engagement).toMatchObject({
      id: engagementId,
      externalId: ENGAGEMENT.data.id,
      connectionOwnerId: OWNER,
      owner: { model: "genericUser", id: "501", resolved: true, name: "Dana Whitfield" },
    });
    expect(engagement.deliveries.map((d: { id: number }) => String(d.id))).toEqual([deliveryId]);

    const missing = await signedIn.get("/api/engagements/999999999");
    expect(missing.status()).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");

    const log = await signedIn.get(`/api/deliveries?key=${deliveryKey}`);
    expect(log.status()).toBe(200);
    expect((await log.json()).data).toMatchObject([
      { id: Number(deliveryId), outcome: "applied", httpStatus: 200, connectionOwnerId: OWNER },
    ]);
    const delivery = await signedIn.get(`/api/deliveries/${deliveryId}`);
    expect(delivery.status()).toBe(200);
    expect(await delivery.json()).toMatchObject({
      idempotencyKey: deliveryKey,
      outcome: "applied",
    });

    const noModel = await signedIn.get("/api/records");
    expect(noModel.status()).toBe(400);
    expect((await noModel.json()).error.code).toBe("invalid_model");
    const records = await signedIn.get(
      `/api/records?model=genericUser&q=dana&connection=${CONNECTION}`,
    );
    expect(records.status()).toBe(200);
    expect((await records.json()).data).toEqual([
      {
        model: "genericUser",
        id: "501",
        name: "Dana Whitfield",
        email: "dana@seller.example",
        connection: CONNECTION,
      },
    ]);
  });

  test("signing out ends the session and clears the cookie; the API then refuses", async ({
    baseURL,
  }) => {
    for (const signOut of [
      (c: APIRequestContext) => c.post("/api/session/sign-out"),
      (c: APIRequestContext) => c.delete("/api/session"),
    ]) {
      const client = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
      const signIn = await client.get(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`);
      const { pair: cookie } = splitCookie(signIn.headers()["set-cookie"]);
      expect((await client.get("/api/deliveries?limit=1")).status()).toBe(200);

      const res = await signOut(client);
      if (res.status() === 303) expect(res.headers()["location"]).toBe("/login");
      else expect(res.status()).toBe(204);
      expect(splitCookie(res.headers()["set-cookie"])).toEqual({
        pair: "ev_session=",
        attributes: ["HttpOnly", "Max-Age=0", "Path=/", "SameSite=Lax"],
      });
      const after = await client.get("/api/deliveries?limit=1");
      expect(after.status()).toBe(401);
      expect((await after.json()).error.code).toBe("unauthorized");
      await client.dispose();
      // The session itself ended: its cookie, kept and sent again, opens nothing.
      const kept = await anonymous.get("/api/deliveries?limit=1", { headers: { cookie } });
      expect(kept.status()).toBe(401);
    }
  });
});

test.describe("in the browser", () => {
  test("sign in through the form, land where you wanted, sign out", async ({ page, context }) => {
    const cspErrors: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy/i.test(message.text())) cspErrors.push(message.text());
    });

    await page.goto("/deliveries?outcome=applied");
    await expect(page).toHaveURL(/\/login\?next=%2Fdeliveries%3Foutcome%3Dapplied$/);

    await page.getByLabel("Password").fill("wrong password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("#password-error")).toHaveText("That password is not right.");
    expect(await sessionCookies(context)).toEqual([]);

    await page.getByLabel("Password").fill(E2E_APP_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/deliveries\?outcome=applied$/);
    await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();

    const [cookie] = await sessionCookies(context);
    expect(cookie).toMatchObject({
      name: "ev_session",
      httpOnly: true,
      sameSite: "Lax",
      secure: false,
      path: "/",
    });
    expect(cookie.value).not.toContain(E2E_APP_PASSWORD);

    // Scripts run under the CSP: relative times are only written by the browser after hydration.
    await expect(page.locator("tbody time").first()).toContainText(/\((now|.+ ago)\)/);
    await page.getByRole("link", { name: "Engagements", exact: true }).first().click();
    await expect(page).toHaveURL(/\/engagements$/);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/login$/);
    expect(await sessionCookies(context)).toEqual([]);
    await expect(page.getByRole("link", { name: "Deliveries" })).toHaveCount(0);
    await page.goto("/deliveries");
    await expect(page).toHaveURL(/\/login\?next=%2Fdeliveries$/);
    expect(cspErrors).toEqual([]);
  });

  test("the sign-in link works and takes you to the engagements", async ({ page }) => {
    await page.goto(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`);
    await expect(page).toHaveURL(/\/engagements$/);
    await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  });
});

test.describe("headers", () => {
  test("pages carry a nonce CSP without unsafe-inline scripts, and the hardening headers", async () => {
    const res = await signedIn.get("/deliveries");
    const headers = res.headers();
    const csp = headers["content-security-policy"];
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("same-origin");
    expect(headers["x-frame-options"]).toBe("DENY");
    // Every script Next wrote into the page carries this request's nonce.
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // A fresh nonce per request.
    const again = (await signedIn.get("/deliveries")).headers()["content-security-policy"];
    expect(again).not.toBe(csp);
  });

  test("API responses, the login page and the webhook carry them too", async () => {
    for (const path of ["/api/health", "/api/deliveries", "/login"]) {
      const headers = (await signedIn.get(path)).headers();
      expect(headers["x-content-type-options"], path).toBe("nosniff");
      expect(headers["x-frame-options"], path).toBe("DENY");
      expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    }
    const webhook = await postEvent(anonymous, "{}");
    expect(webhook.headers()["x-content-type-options"]).toBe("nosniff");
  });

  test("the session cookie: HttpOnly, SameSite=Lax, 168 hours, Secure only over HTTPS", async ({
    baseURL,
  }) => {
    const client = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
    const signIn = `/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`;
    const overHttp = splitCookie((await client.get(signIn)).headers()["set-cookie"]);
    const overHttps = splitCookie(
      (await client.get(signIn, { headers: { "x-forwarded-proto": "https" } })).headers()[
        "set-cookie"
      ],
    );
    const common = ["HttpOnly", `Max-Age=${168 * 3600}`, "Path=/", "SameSite=Lax"];
    expect(overHttp.attributes).toEqual(common);
    expect(overHttps.attributes).toEqual([...common, "Secure"].sort());
    // A random id (32 bytes, base64url), never the password: each sign-in gets its own.
    expect(overHttp.pair).toMatch(/^ev_session=[\w-]{43}$/);
    expect(overHttp.pair).not.toContain(E2E_APP_PASSWORD);
    expect(overHttps.pair).toMatch(/^ev_session=[\w-]{43}$/);
    expect(overHttps.pair).not.toBe(overHttp.pair);
    await client.dispose();
  });
});
