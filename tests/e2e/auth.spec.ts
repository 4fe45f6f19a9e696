import {
  expect,
  request as playwrightRequest,
  test,
  type APIRequestContext,
} from "@playwright/test";
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

let anonymous: APIRequestContext;
let signedIn: APIRequestContext;

test.beforeAll(async ({ baseURL }) => {
  anonymous = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
  signedIn = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
  const res = await signedIn.get(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`);
  expect(res.status()).toBe(303);
  expect(res.headers()["location"]).toBe("/engagements");
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
    expect(E2E_WEBHOOK_SECRET).not.toBe(E2E_APP_PASSWORD);
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
  for (const path of PAGES) {
    test(`page ${path} is served, not redirected`, async () => {
      const res = await signedIn.get(path);
      // A missing id is a 404 page; anything but a way back to /login.
      expect([200, 404]).toContain(res.status());
      expect(res.headers()["location"]).toBeUndefined();
      expect(await res.text()).not.toContain('name="password"');
    });
  }
  for (const path of READ_API) {
    test(`API ${path} is served`, async () => {
      const res = await signedIn.get(path);
      expect(res.status()).not.toBe(401);
      expect(res.status()).toBeLessThan(500);
      expect(res.headers()["location"]).toBeUndefined();
    });
  }
  test("the delivery log API answers with data", async () => {
    const res = await signedIn.get("/api/deliveries?limit=1");
    expect(res.status()).toBe(200);
    const body = await res.json();
    expect(Array.isArray(body.data)).toBe(true);
    expect(body).toHaveProperty("nextCursor");
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
    expect(await context.cookies()).toEqual([]);

    await page.getByLabel("Password").fill(E2E_APP_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/deliveries\?outcome=applied$/);
    await expect(page.getByRole("heading", { name: "Delivery log" })).toBeVisible();

    const [cookie] = await context.cookies();
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
    expect(await context.cookies()).toEqual([]);
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

  test("the cookie is Secure when the request came over HTTPS", async ({ baseURL }) => {
    const client = await playwrightRequest.newContext({ baseURL, maxRedirects: 0 });
    const res = await client.get(`/api/session?token=${encodeURIComponent(E2E_APP_PASSWORD)}`, {
      headers: { "x-forwarded-proto": "https" },
    });
    const cookie = res.headers()["set-cookie"];
    expect(cookie).toContain("ev_session=");
    expect(cookie).toContain("Secure");
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    await client.dispose();
  });
});
