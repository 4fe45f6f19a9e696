import { afterEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/bench/noop/route";

const request = () =>
  new Request("http://localhost/api/bench/noop", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: '{"event":"crmEngagement::created"}',
  });

describe("the benchmark's no-op route", () => {
  const saved = process.env.BENCH_NOOP;
  afterEach(() => {
    if (saved === undefined) delete process.env.BENCH_NOOP;
    else process.env.BENCH_NOOP = saved;
  });

  it("does not exist unless the server runs with BENCH_NOOP=1", async () => {
    delete process.env.BENCH_NOOP;
    const res = await POST(request());
    expect(res.status).toBe(404);
  });

  it("echoes the body when enabled", async () => {
    process.env.BENCH_NOOP = "1";
    const res = await POST(request());
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"event":"crmEngagement::created"}');
  });
});
