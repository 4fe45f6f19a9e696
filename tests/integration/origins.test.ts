/**
 * Addresses and origins through the real route handlers: which origin is the app's (APP_URL,
 * TRUST_PROXY), the browser forms that refuse another one, and the client address rate limits use.
 * What scripts/server.mjs does with a client's forwarding headers: tests/e2e/addresses.spec.ts.
 */
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as reprocess } from "@/app/api/deliveries/[id]/reprocess/route";
import { POST as signIn } from "@/app/api/session/route";
import { POST as signOut } from "@/app/api/session/sign-out/route";
import { POST as webhook } from "@/app/api/webhooks/morph/route";
import { isCrossOrigin } from "@/lib/auth/same-origin";
import { sessionCookieHeader } from "@/lib/auth/session";
import { clientAddress, publicOrigin } from "@/lib/request-origin";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent, webhookRequest } from "../helpers/morph";

const PASSWORD = "origins-password";
const EVIL = "https://evil.example";
const SESSION = { id: "v", maxAgeSeconds: 60 };

const limiterSlot = globalThis as unknown as { signInLimiter?: unknown };
function resetEnv() {
  delete process.env.APP_URL;
  delete process.env.TRUST_PROXY;
  limiterSlot.signInLimiter = undefined;
}
beforeEach(resetEnv);
afterEach(resetEnv);

const post = (path: string, headers: Record<string, string>, body?: string) =>
  new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body,
  });
const signInForm = (headers: Record<string, string>, password = PASSWORD) =>
  post("/api/session", headers, new URLSearchParams({ password }).toString());

async function expectRefused(response: Response) {
  expect(response.status).toBe(403);
  expect(response.headers.get("set-cookie")).toBeNull();
  expect((await response.json()).error.code).toBe("cross_origin");
}

describe("the app's public origin", () => {
  const proxied = new Headers({
    host: "10.0.0.2:3000",
    "x-forwarded-proto": "https, http",
    "x-forwarded-host": "viewer.example.com",
  });

  it("is the request's own without APP_URL or TRUST_PROXY: its Host, forwarding ignored", () => {
    expect(publicOrigin(proxied, "http://127.0.0.1:3000/x")).toBe("http://10.0.0.2:3000");
    expect(publicOrigin(new Headers(), "https://example.com/x")).toBe("https://example.com");
    expect(
      sessionCookieHeader(new Request("http://10.0.0.2/", { headers: proxied }), SESSION),
    ).not.toContain("Secure");
  });

  it("is what a trusted proxy says it is with TRUST_PROXY=1", () => {
    process.env.TRUST_PROXY = "1";
    expect(publicOrigin(proxied, "http://127.0.0.1:3000/x")).toBe("https://viewer.example.com");
    expect(
      sessionCookieHeader(new Request("http://10.0.0.2/", { headers: proxied }), SESSION),
    ).toContain("; Secure");
    // A proxy that sends no forwarding headers leaves the request's own.
    expect(publicOrigin(new Headers({ host: "a.example:81" }), "http://127.0.0.1/")).toBe(
      "http://a.example:81",
    );
  });

  it("is APP_URL when it is set, whatever the request or proxy says", () => {
    process.env.APP_URL = "https://viewer.example.com";
    process.env.TRUST_PROXY = "1";
    const other = new Headers({ host: "x.example", "x-forwarded-host": "y.example" });
    expect(publicOrigin(other, "http://x.example/")).toBe("https://viewer.example.com");
    expect(sessionCookieHeader(new Request("http://localhost/"), SESSION)).toContain("; Secure");
  });
});

describe("the client's address", () => {
  const from = (forwardedFor: string) =>
    new Request("http://localhost/", { headers: { "x-forwarded-for": forwardedFor } });

  it("is the address the outermost trusted proxy saw: the last entry behind one", () => {
    expect(clientAddress(from("198.51.100.7"))).toBe("198.51.100.7");
    expect(clientAddress(from("203.0.113.66, 198.51.100.7"))).toBe("198.51.100.7");
    process.env.TRUST_PROXY = "2";
    expect(clientAddress(from("203.0.113.66, 198.51.100.7, 10.0.0.1"))).toBe("198.51.100.7");
    expect(clientAddress(from("198.51.100.7"))).toBe("198.51.100.7");
  });

  it("keys the sign-in limit: rotating a forged leading entry does not reset it", async () => {
    process.env.TRUST_PROXY = "1";
    for (let i = 0; i < 10; i++) {
      const guess = signInForm({ "x-forwarded-for": `203.0.113.${i}, 198.51.100.7` }, "guess");
      expect((await signIn(guess)).status).toBe(303);
    }
    const blocked = signInForm({ "x-forwarded-for": "203.0.113.99, 198.51.100.7" });
    expect((await signIn(blocked)).status).toBe(429);
    const other = signInForm({ "x-forwarded-for": "203.0.113.99, 198.51.100.8" });
    expect((await signIn(other)).status).toBe(303);
  });
});

describe("browser forms from another site", () => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore("sqlite", { APP_PASSWORD: PASSWORD, APP_ALLOW_PUBLIC: undefined });
  });
  afterAll(() => temp.cleanup());

  it.each([
    ["an Origin of another site", { origin: EVIL }],
    ["Origin: null", { origin: "null" }],
    ["another site's Referer and no Origin", { referer: `${EVIL}/page` }],
    ["another port of this host", { origin: "http://localhost:8080" }],
    ["another scheme of this host", { origin: "https://localhost" }],
  ])("sign-in refuses %s with 403 cross_origin and no cookie", async (_, headers) => {
    await expectRefused(await signIn(signInForm(headers)));
  });

  it.each([
    ["its own Origin", { origin: "http://localhost" }],
    ["its own Referer", { referer: "http://localhost/login?next=%2Fdeliveries" }],
    ["neither header (a script)", {}],
  ])("sign-in takes %s on its credentials", async (_, headers) => {
    const res = await signIn(signInForm(headers));
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toContain("ev_session=");
    const wrong = await signIn(signInForm(headers, "wrong"));
    expect(wrong.headers.get("location")).toMatch(/^\/login\?error=invalid/);
  });

  it("a refused sign-in counts as no failed attempt", async () => {
    for (let i = 0; i < 12; i++) {
      await expectRefused(await signIn(signInForm({ origin: EVIL }, "guess")));
    }
    const own = await signIn(signInForm({ origin: "http://localhost" }));
    expect(own.status).toBe(303);
  });

  it("sign-out refuses another site and keeps the cookie", async () => {
    await expectRefused(await signOut(post("/api/session/sign-out", { origin: EVIL })));
    const own = await signOut(post("/api/session/sign-out", { origin: "http://localhost" }));
    expect(own.status).toBe(303);
    expect(own.headers.get("set-cookie")).toContain("Max-Age=0");
  });

  it("with APP_URL, only APP_URL's origin is the app's own", async () => {
    process.env.APP_URL = "https://viewer.example.com";
    await expectRefused(await signIn(signInForm({ origin: "http://localhost" })));
    const own = await signIn(signInForm({ origin: "https://viewer.example.com" }));
    expect(own.status).toBe(303);
    expect(own.headers.get("set-cookie")).toContain("; Secure");
  });

  it("behind a trusted proxy, the origin it forwards is the app's own", async () => {
    const forwarded = { "x-forwarded-proto": "https", "x-forwarded-host": "viewer.example.com" };
    const viaProxy = { ...forwarded, origin: "https://viewer.example.com" };
    // Not trusted: the forwarding headers are a client's claim, and the request's own origin stands.
    await expectRefused(await signIn(signInForm(viaProxy)));
    process.env.TRUST_PROXY = "1";
    const trusted = await signIn(signInForm(viaProxy));
    expect(trusted.status).toBe(303);
    expect(trusted.headers.get("set-cookie")).toContain("; Secure");
    await expectRefused(await signIn(signInForm({ ...forwarded, origin: "http://localhost" })));
  });

  it("isCrossOrigin compares origins, not spellings", () => {
    const at = (headers: Record<string, string>) =>
      isCrossOrigin(new Request("http://localhost:80/api/session", { method: "POST", headers }));
    expect(at({ origin: "HTTP://LOCALHOST" })).toBe(false);
    expect(at({ origin: "http://localhost:80" })).toBe(false);
    expect(at({ referer: "http://localhost/deliveries/1" })).toBe(false);
    expect(at({ referer: "not a url" })).toBe(true);
    // Origin decides when both are there.
    expect(at({ origin: EVIL, referer: "http://localhost/" })).toBe(true);
  });
});

describe.each(testEngines())("reprocess from another site on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore(engine, { WEBHOOK_ALLOW_UNSIGNED: "1" });
  });
  afterAll(() => temp.cleanup());

  const call = (id: string, headers: Record<string, string>) =>
    reprocess(post(`/api/deliveries/${id}/reprocess`, headers), {
      params: Promise.resolve({ id }),
    });

  it("is refused with 403 cross_origin, and changes nothing", async () => {
    const key = randomUUID();
    await webhook(webhookRequest(engagementEvent("xo-1", "2025-03-06T10:00:00Z"), { key }));
    const conflict = await webhook(
      webhookRequest(
        engagementEvent("xo-1", "2025-03-08T10:00:00Z", { fields: { title: "Fixed" } }),
        { key },
      ),
    );
    expect(conflict.status).toBe(409);
    const id = conflict.headers.get("x-delivery-id")!;
    const count = async () => (await temp.one("select count(*) as n from deliveries"))!.n;
    const title = () => temp.one("select title from engagements where external_id = 'xo-1'");
    const before = { deliveries: await count(), title: await title() };

    await expectRefused(await call(id, { origin: EVIL }));
    await expectRefused(await call(id, { referer: `${EVIL}/x` }));
    expect({ deliveries: await count(), title: await title() }).toEqual(before);

    const own = await call(id, { origin: "http://localhost" });
    expect(own.status).toBe(303);
    expect(own.headers.get("location")).toMatch(/^\/deliveries\/\d+$/);
    expect(await title()).toEqual({ title: "Fixed" });
  });
});
