import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { startApp, stopApp, type RunningApp } from "../helpers/server";

/**
 * What `npm start`'s server (scripts/server.mjs) makes of what a client says about itself: without
 * TRUST_PROXY its forwarding headers are replaced by the socket's address; with TRUST_PROXY and
 * APP_URL, the proxy's word and the public origin stand.
 */
const PASSWORD = "addresses-password";

function newEnv(extra: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-addresses-"));
  return {
    DATABASE_URL: path.join(dir, "app.db"),
    APP_PASSWORD: PASSWORD,
    WEBHOOK_ALLOW_UNSIGNED: "1",
    ...extra,
  };
}

/** A sign-in form post, as a script or (with `origin`) a browser would send it. */
function signInPost(app: RunningApp, password: string, headers: Record<string, string> = {}) {
  return fetch(`${app.url}/api/session`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ password }).toString(),
  });
}

const sessionCookieOf = (response: Response) =>
  (response.headers.get("set-cookie") ?? "").split(";")[0];

test.describe("without TRUST_PROXY", () => {
  let app: RunningApp;
  test.beforeAll(async () => {
    app = await startApp(newEnv({}));
  });
  test.afterAll(async () => {
    if (app) await stopApp(app);
  });

  test("the sign-in form in a browser, with its own origin, signs in", async ({ page }) => {
    await page.goto(`${app.url}/login`);
    await page.getByLabel("Password").fill(PASSWORD);
    await page.getByRole("button", { name: /sign in/i }).click();
    await expect(page).toHaveURL(/\/engagements$/);
  });

  test("a form posted from another site is refused, and signs nobody in", async () => {
    const foreign: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { referer: "https://evil.example/x" },
    ];
    for (const headers of foreign) {
      const res = await signInPost(app, PASSWORD, headers);
      expect(res.status).toBe(403);
      expect((await res.json()).error.code).toBe("cross_origin");
      expect(res.headers.get("set-cookie")).toBeNull();
    }
  });

  test("forwarded scheme and host are ignored: no Secure cookie, the socket's origin", async () => {
    const forged = { "x-forwarded-proto": "https", "x-forwarded-host": "viewer.example.com" };
    const res = await signInPost(app, PASSWORD, forged);
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toContain("ev_session=");
    expect(res.headers.get("set-cookie")).not.toContain("Secure");
    const claimed = await signInPost(app, PASSWORD, {
      ...forged,
      origin: "https://viewer.example.com",
    });
    expect(claimed.status).toBe(403);
  });

  test("the delivery log keeps the socket's address, not a claimed one", async () => {
    const signedIn = sessionCookieOf(await signInPost(app, PASSWORD));
    const posted = await fetch(`${app.url}/api/webhooks/morph`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-conector-id": "hubspot",
        "x-owner-id": "addresses",
        "x-idempotency-key": randomUUID(),
        "x-forwarded-for": "203.0.113.50",
      },
      body: JSON.stringify({ event: "crmEngagement::created", data: { model: "crmEngagement" } }),
    });
    const id = posted.headers.get("x-delivery-id");
    expect(id).toMatch(/^\d+$/);
    const delivery = await fetch(`${app.url}/api/deliveries/${id}`, {
      headers: { cookie: signedIn },
    });
    const logged = (await delivery.json()).headers["x-forwarded-for"];
    expect(logged).toMatch(/^(::ffff:)?127\.0\.0\.1$/);
  });

  // Last: it locks this client (the loopback address) out of signing in for a minute.
  test("rotating X-Forwarded-For does not escape the sign-in limit", async () => {
    for (let i = 0; i < 10; i++) {
      const res = await signInPost(app, `guess-${i}`, { "x-forwarded-for": `203.0.113.${i}` });
      expect(res.status).toBe(303);
    }
    const blocked = await signInPost(app, PASSWORD, { "x-forwarded-for": "198.51.100.200" });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("set-cookie")).toBeNull();
  });
});

test.describe("with TRUST_PROXY=1 and APP_URL", () => {
  const APP_URL = "https://viewer.example.com";
  let app: RunningApp;
  test.beforeAll(async () => {
    app = await startApp(newEnv({ TRUST_PROXY: "1", APP_URL }));
  });
  test.afterAll(async () => {
    if (app) await stopApp(app);
  });

  test("the start banner prints APP_URL's links", async () => {
    await expect
      .poll(() => app.output(), { timeout: 20_000 })
      .toContain(`Sign in: ${APP_URL}/api/session?token=`);
    expect(app.output()).toContain(`Webhook URL for Morph: ${APP_URL}/api/webhooks/morph?token=`);
  });

  test("forms must come from APP_URL, and the cookie is Secure behind the TLS proxy", async () => {
    const own = await signInPost(app, PASSWORD, { origin: APP_URL });
    expect(own.status).toBe(303);
    expect(own.headers.get("set-cookie")).toContain("; Secure");
    const direct = await signInPost(app, PASSWORD, { origin: app.url });
    expect(direct.status).toBe(403);
  });

  test("the sign-in limit counts per address the proxy forwards", async () => {
    const from = (address: string, password: string) =>
      signInPost(app, password, { "x-forwarded-for": address });
    for (let i = 0; i < 10; i++) expect((await from("203.0.113.5", `guess-${i}`)).status).toBe(303);
    expect((await from("203.0.113.5", PASSWORD)).status).toBe(429);
    const other = await from("203.0.113.6", PASSWORD);
    expect(other.status).toBe(303);
    expect(other.headers.get("set-cookie")).toContain("ev_session=");
  });
});
