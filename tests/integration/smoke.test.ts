import { afterAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/morph/route";
import { fixture, webhookRequest } from "../helpers/morph";
import { setUpAppDatabase } from "../helpers/temp-db";

const temp = setUpAppDatabase({ WEBHOOK_ALLOW_UNSIGNED: "1" });
afterAll(() => temp.cleanup());

describe("smoke", () => {
  it("stores a call", async () => {
    const res = await POST(webhookRequest(fixture("engagement-call-created")));
    expect(res.status).toBe(200);
    const rows = temp.db.$client.prepare("select * from engagements").all();
    expect(rows).toHaveLength(1);
    const refs = temp.db.$client.prepare("select * from engagement_refs").all();
    expect(refs.length).toBe(5);
    console.log(temp.db.$client.prepare("select * from deliveries").all());
  });
});
