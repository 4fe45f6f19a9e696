import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { unstable_doesMiddlewareMatch } from "next/experimental/testing/server";
import { afterAll, describe, expect, it } from "vitest";
import { config } from "@/proxy";
import { FLOOR_PATH, FLOOR_ROUTE } from "@/scripts/bench/build";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-floor-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("the benchmark build's floor route", () => {
  it("answers a POST with its body, as JSON", async () => {
    const file = path.join(dir, "route.ts");
    fs.writeFileSync(file, FLOOR_ROUTE);
    const { POST } = (await import(/* @vite-ignore */ file)) as {
      POST: (request: Request) => Promise<Response>;
    };
    const body = JSON.stringify({ event: "crmEngagement.created", data: { id: "e-1" } });
    const res = await POST(
      new Request(`http://localhost${FLOOR_PATH}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.text()).toBe(body);
  });

  it("skips the proxy exactly as the webhook does", () => {
    const matches = (url: string) => unstable_doesMiddlewareMatch({ config, url });
    expect(matches("/api/webhooks/morph")).toBe(false);
    expect(matches(FLOOR_PATH)).toBe(matches("/api/webhooks/morph"));
  });
});
