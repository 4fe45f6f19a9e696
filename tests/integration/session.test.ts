import { NextRequest } from "next/server";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DELETE, GET, POST } from "@/app/api/session/route";
import { POST as signOut } from "@/app/api/session/sign-out/route";
import { config, proxy } from "@/proxy";
import { createFailureLimiter } from "@/lib/auth/rate-limit";
import { checkSession } from "@/lib/auth/server-session";
import { safeNextPath, sessionCookieHeader } from "@/lib/auth/session";
import { setUpAppDatabase } from "../helpers/temp-db";

const PASSWORD = "right-password";
const temp = setUpAppDatabase({ APP_PASSWORD: PASSWORD, APP_ALLOW_PUBLIC: undefined });
afterAll(() => temp.cleanup());

const limiterSlot = globalThis as unknown as { signInLimiter?: unknown };
beforeEach(() => {
  limiterSlot.signInLimiter = undefined;
  delete process.env.APP_ALLOW_PUBLIC;
});

/** The `ev_session=<id>` pair a response sets. */
const cookiePair = (res: Response) => res.headers.get("set-cookie")?.split(";")[0] ?? "";
const SESSION_PAIR = /^ev_session=[\w-]{43}$/;

let goodCookie: string;
beforeAll(async () => {
  goodCookie = cookiePair(await GET(new Request(`http://localhost/api/session?token=${PASSWORD}`)));
});

function form(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return new Request("http://localhost/api/session", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Lax, Path=/, and Secure only behind HTTPS", () => {
    const session = { id: "v", maxAgeSeconds: 90 };
    const plain = sessionCookieHeader(new Request("http://localhost/"), session);
    expect(plain).toMatch(/^ev_session=v; /);
    expect(plain).toContain("Max-Age=90");
    expect(plain).toContain("HttpOnly");
    expect(plain).toContain("SameSite=Lax");
    expect(plain).toContain("Path=/");
    expect(plain).not.toContain("Secure");
    expect(sessionCookieHeader(new Request("https://example.com/"), session)).toContain("; Secure");
    // Behind a proxy: tests/integration/origins.test.ts.
    expect(sessionCookieHeader(new Request("http://localhost/"), null)).toContain("Max-Age=0");
  });
});

describe("safeNextPath", () => {
  it.each([
    ["/deliveries?outcome=duplicate", "/deliveries?outcome=duplicate"],
    ["/engagements/12#raw", "/engagements/12#raw"],
    ["/a/../deliveries", "/deliveries"],
    // Encoded line breaks stay encoded: they can't split the Location header.
    ["/%0d%0aSet-Cookie:x", "/%0d%0aSet-Cookie:x"],
  ])("keeps the same-origin path %s", (input, expected) => {
    expect(safeNextPath(input)).toBe(expected);
  });

  it.each([
    "//evil.example/x",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "javascript:alert(1)",
    "/\t/evil.example",
    "/\n/evil.example",
    "evil",
    "",
    "/login",
    "/api/session?token=x",
  ])("refuses %j", (input) => {
    expect(safeNextPath(input)).toBe("/engagements");
  });

  it("refuses non-strings", () => {
    expect(safeNextPath(null)).toBe("/engagements");
    expect(safeNextPath(undefined)).toBe("/engagements");
  });
});

describe("POST /api/session (the login form)", () => {
  it("sets the session cookie and sends the browser on with 303", async () => {
    const res = await POST(form({ password: PASSWORD, next: "/deliveries?outcome=conflict" }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/deliveries?outcome=conflict");
    const cookie = res.headers.get("set-cookie")!;
    expect(cookiePair(res)).toMatch(SESSION_PAIR);
    expect(cookie).toContain("HttpOnly");
    expect(await checkSession(cookiePair(res).slice("ev_session=".length))).toBe(true);
  });

  it("sends a wrong password back to the login page with an error, and no cookie", async () => {
    const res = await POST(form({ password: "wrong", next: "/deliveries" }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?error=invalid&next=%2Fdeliveries");
    expect(res.headers.get("set-cookie")).toBeNull();
    const empty = await POST(form({ password: "" }));
    expect(empty.headers.get("location")).toBe("/login?error=invalid");
  });

  it("never redirects off-site after a right password", async () => {
    for (const next of ["//evil.example", "https://evil.example", "/\\evil.example"]) {
      const res = await POST(form({ password: PASSWORD, next }));
      expect(res.headers.get("location")).toBe("/engagements");
    }
  });

  it("rate-limits failures per client: the 11th attempt in a minute gets 429", async () => {
    const from = (ip: string, password: string) =>
      POST(form({ password }, { "x-forwarded-for": ip }));
    for (let i = 0; i < 10; i++) {
      expect((await from("203.0.113.9", "guess")).status).toBe(303);
    }
    const blocked = await from("203.0.113.9", PASSWORD);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(Number(blocked.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(blocked.headers.get("set-cookie")).toBeNull();
    expect((await blocked.json()).error.code).toBe("rate_limited");
    // Another client is not affected, and successes never count.
    const other = await from("198.51.100.1", PASSWORD);
    expect(other.status).toBe(303);
    expect(other.headers.get("set-cookie")).toContain("ev_session=");
  });

  it("shows a browser a readable 429 page", async () => {
    for (let i = 0; i < 10; i++)
      await POST(form({ password: "guess" }, { "x-forwarded-for": "a" }));
    const res = await POST(
      form({ password: "guess" }, { "x-forwarded-for": "a", accept: "text/html" }),
    );
    expect(res.status).toBe(429);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(await res.text()).toContain("Too many sign-in attempts");
  });

  it("refuses a body that is not a form", async () => {
    const res = await POST(
      new Request("http://localhost/api/session", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ password: PASSWORD }),
      }),
    );
    expect(res.status).toBe(415);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("failure limiter", () => {
  it("caps failures overall, so rotating client addresses does not help", () => {
    const limiter = createFailureLimiter({ perClient: 10, overall: 20, windowMs: 60_000 });
    for (let i = 0; i < 20; i++) limiter.recordFailure(`client-${i}`, 1_000);
    expect(limiter.check("fresh-client", 1_000)).toEqual({ allowed: false, retryAfterSeconds: 60 });
    // The window slides: a minute later everyone may try again.
    expect(limiter.check("fresh-client", 61_001)).toEqual({ allowed: true });
  });
});

describe("GET /api/session?token= (the sign-in link)", () => {
  it("signs in and goes to /engagements", async () => {
    const res = await GET(new Request(`http://localhost/api/session?token=${PASSWORD}`));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/engagements");
    expect(cookiePair(res)).toMatch(SESSION_PAIR);
  });

  it("sends a wrong token to /login with an error", async () => {
    const res = await GET(new Request("http://localhost/api/session?token=nope"));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login?error=invalid");
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it("counts wrong tokens against the same limit", async () => {
    for (let i = 0; i < 10; i++) await GET(new Request("http://localhost/api/session?token=nope"));
    expect((await GET(new Request(`http://localhost/api/session?token=${PASSWORD}`))).status).toBe(
      429,
    );
  });
});

describe("signing out", () => {
  const signedIn = async () =>
    cookiePair(await GET(new Request(`http://localhost/api/session?token=${PASSWORD}`)));
  const idOf = (pair: string) => pair.slice("ev_session=".length);

  it("DELETE ends the session and clears the cookie", async () => {
    const cookie = await signedIn();
    expect(await checkSession(idOf(cookie))).toBe(true);
    const res = await DELETE(
      new Request("http://localhost/api/session", { method: "DELETE", headers: { cookie } }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("set-cookie")).toMatch(/^ev_session=; .*Max-Age=0/);
    expect(await checkSession(idOf(cookie))).toBe(false);
  });

  it("the sign-out form ends the session, clears the cookie and goes to /login", async () => {
    const cookie = await signedIn();
    const res = await signOut(
      new Request("http://localhost/api/session/sign-out", { method: "POST", headers: { cookie } }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/login");
    expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
    expect(await checkSession(idOf(cookie))).toBe(false);
  });

  it("without a session (or with a forged one) still clears the cookie", async () => {
    for (const headers of [{}, { cookie: "ev_session=forged" }] as HeadersInit[]) {
      const res = await signOut(
        new Request("http://localhost/api/session/sign-out", { method: "POST", headers }),
      );
      expect(res.status).toBe(303);
      expect(res.headers.get("set-cookie")).toContain("Max-Age=0");
    }
  });
});

describe("proxy", () => {
  const run = (path: string, cookie?: string) =>
    proxy(new NextRequest(`http://localhost${path}`, { headers: cookie ? { cookie } : {} }));
  const passedThrough = (res: Response) => res.headers.get("x-middleware-next") === "1";

  it("redirects an anonymous page request to /login, remembering where it was going", async () => {
    const res = await run("/deliveries?outcome=duplicate");
    expect(res.status).toBe(307);
    const location = new URL(res.headers.get("location")!);
    expect(location.origin).toBe("http://localhost");
    expect(`${location.pathname}${location.search}`).toBe(
      `/login?next=${encodeURIComponent("/deliveries?outcome=duplicate")}`,
    );
  });

  it("answers an anonymous API request with 401 in the error shape", async () => {
    for (const path of [
      "/api/engagements",
      "/api/deliveries",
      "/api/records",
      "/api/engagements/1",
    ]) {
      const res = await run(path);
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
  });

  it("refuses a forged cookie", async () => {
    expect((await run("/deliveries", "ev_session=forged")).status).toBe(307);
    // Well-formed, but no session has this id.
    expect((await run("/api/deliveries", `ev_session=${"A".repeat(43)}`)).status).toBe(401);
    expect((await run("/api/deliveries", `ev_session=${PASSWORD}`)).status).toBe(401);
  });

  it("lets a session through, with a fresh CSP nonce on pages", async () => {
    const page = await run("/deliveries", goodCookie);
    expect(passedThrough(page)).toBe(true);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
    expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
    expect(csp).toContain("frame-ancestors 'none'");
    const again = (await run("/deliveries", goodCookie)).headers.get("content-security-policy");
    expect(again).not.toBe(csp);
    expect(passedThrough(await run("/api/deliveries", goodCookie))).toBe(true);
  });

  it("keeps the login screens open", async () => {
    expect(passedThrough(await run("/login"))).toBe(true);
    expect(passedThrough(await run("/api/session?token=x"))).toBe(true);
  });

  it("opens everything with APP_ALLOW_PUBLIC=1", async () => {
    process.env.APP_ALLOW_PUBLIC = "1";
    expect(passedThrough(await run("/deliveries"))).toBe(true);
    expect(passedThrough(await run("/api/engagements"))).toBe(true);
  });

  it("never runs on health, the webhook or static files", () => {
    const matches = (url: string) => unstable_doesMiddlewareMatch({ config, url });
    expect(matches("/api/health")).toBe(false);
    expect(matches("/api/webhooks/morph")).toBe(false);
    expect(matches("/_next/static/chunks/app.js")).toBe(false);
    expect(matches("/deliveries")).toBe(true);
    expect(matches("/api/deliveries")).toBe(true);
    expect(matches("/api/engagements/1")).toBe(true);
    expect(matches("/")).toBe(true);
  });
});
