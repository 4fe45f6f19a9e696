/** API_TOKEN through the real proxy: it reads the read API without a session, and opens nothing else. */
import { NextRequest } from "next/server";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { hasApiToken } from "@/lib/auth/api-token";
import { proxy } from "@/proxy";
import { setUpAppDatabase } from "../helpers/temp-db";

const TOKEN = "script-token-4f9a2c";
const temp = setUpAppDatabase({ APP_PASSWORD: "api-token-password", APP_ALLOW_PUBLIC: undefined });
afterAll(() => temp.cleanup());
afterEach(() => {
  delete process.env.API_TOKEN;
});

const READS = [
  "/api/engagements",
  "/api/engagements?format=csv",
  "/api/engagements/summary",
  "/api/engagements/1",
  "/api/deliveries",
  "/api/deliveries/1",
  "/api/records?model=genericUser",
  "/api/connections",
  "/api/metrics",
];

function run(path: string, authorization?: string, method = "GET") {
  const headers = authorization ? { authorization } : undefined;
  return proxy(new NextRequest(`http://localhost${path}`, { method, headers }));
}
const passedThrough = (res: Response) => res.headers.get("x-middleware-next") === "1";

describe("API_TOKEN", () => {
  it("reads every read API route with Authorization: Bearer <API_TOKEN>", async () => {
    process.env.API_TOKEN = TOKEN;
    for (const path of READS) {
      expect(passedThrough(await run(path, `Bearer ${TOKEN}`)), path).toBe(true);
      expect(passedThrough(await run(path, `bearer  ${TOKEN} `)), path).toBe(true);
      expect(passedThrough(await run(path, `Bearer ${TOKEN}`, "HEAD")), path).toBe(true);
    }
  });

  it("refuses another token, and any token while API_TOKEN is unset", async () => {
    for (const authorization of [`Bearer ${TOKEN}`, "Bearer ", undefined]) {
      expect((await run("/api/engagements", authorization)).status).toBe(401);
    }
    process.env.API_TOKEN = TOKEN;
    for (const authorization of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      TOKEN,
      `Basic ${TOKEN}`,
    ]) {
      const res = await run("/api/deliveries", authorization);
      expect(res.status, authorization).toBe(401);
      expect((await res.json()).error.code).toBe("unauthorized");
    }
  });

  it("opens no page and no POST", async () => {
    process.env.API_TOKEN = TOKEN;
    const page = await run("/engagements", `Bearer ${TOKEN}`);
    expect(page.status).toBe(307);
    expect(page.headers.get("location")).toContain("/login");
    for (const path of ["/api/deliveries/1/reprocess", "/api/engagements"]) {
      expect((await run(path, `Bearer ${TOKEN}`, "POST")).status, path).toBe(401);
    }
  });

  it("hasApiToken compares the whole token", () => {
    process.env.API_TOKEN = TOKEN;
    const offering = (authorization: string) =>
      hasApiToken(new Request("http://localhost/", { headers: { authorization } }));
    expect(offering(`Bearer ${TOKEN}`)).toBe(true);
    expect(offering(`Bearer ${TOKEN.toUpperCase()}`)).toBe(false);
    expect(offering(`Bearer ${TOKEN}${TOKEN}`)).toBe(false);
    expect(hasApiToken(new Request("http://localhost/"))).toBe(false);
  });
});
