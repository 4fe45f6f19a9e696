import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as reprocess } from "@/app/api/deliveries/[id]/reprocess/route";
import { POST as webhook } from "@/app/api/webhooks/morph/route";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent, webhookRequest } from "../helpers/morph";

const call = (id: string, init: RequestInit = {}) =>
  reprocess(
    new Request(`http://localhost/api/deliveries/${id}/reprocess`, { method: "POST", ...init }),
    {
      params: Promise.resolve({ id }),
    },
  );

describe.each(testEngines())("POST /api/deliveries/[id]/reprocess on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore(engine, { WEBHOOK_ALLOW_UNSIGNED: "1" });
  });
  afterAll(() => temp.cleanup());

  it("re-applies a conflicting delivery and answers with the new delivery", async () => {
    const key = randomUUID();
    await webhook(webhookRequest(engagementEvent("rp-1", "2025-03-06T10:00:00Z"), { key }));
    const conflict = await webhook(
      webhookRequest(
        engagementEvent("rp-1", "2025-03-08T10:00:00Z", { fields: { title: "Fixed" } }),
        { key },
      ),
    );
    expect(conflict.status).toBe(409);
    const conflictId = conflict.headers.get("x-delivery-id")!;

    const response = await call(conflictId);
    expect(response.status).toBe(200);
    const json = await response.json();
    expect(json).toMatchObject({ outcome: "applied", status: 200 });
    expect(json.deliveryId).toBeGreaterThan(Number(conflictId));
    const title = await temp.one("select title from engagements where external_id = 'rp-1'");
    expect(title).toEqual({ title: "Fixed" });
  });

  it("sends a form post on to the new delivery's page", async () => {
    const bad = await webhook(
      webhookRequest({ event: "crmEngagement::created", data: { model: "crmEngagement" } }),
    );
    const response = await call(bad.headers.get("x-delivery-id") ?? "", {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    // The body is still invalid: it is logged again as rejected, and the page shows it.
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toMatch(/^\/deliveries\/\d+$/);
  });

  it("refuses applied deliveries and unknown ids in the one error shape", async () => {
    const ok = await webhook(webhookRequest(engagementEvent("rp-2", "2025-03-06T10:00:00Z")));
    const refused = await call(ok.headers.get("x-delivery-id")!);
    expect(refused.status).toBe(409);
    expect((await refused.json()).error.code).toBe("not_reprocessable");
    expect((await call("999999")).status).toBe(404);
    expect((await call("abc")).status).toBe(404);
  });
});
