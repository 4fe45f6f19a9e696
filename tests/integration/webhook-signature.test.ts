import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/morph/route";
import { engagementEvent, webhookRequest } from "../helpers/morph";
import { setUpAppDatabase } from "../helpers/temp-db";

/**
 * The cases the Standard Webhooks library tests on itself, run against our endpoint:
 * every refusal is a 401 that stores nothing, every valid signature is accepted.
 */
const RAW_KEY = Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "utf8");
const SECRET = `whsec_${RAW_KEY.toString("base64")}`;
const temp = setUpAppDatabase({ WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_UNSIGNED: undefined });
afterAll(() => temp.cleanup());
const deliveries = () =>
  (temp.db.$client.prepare("select count(*) n from deliveries").get() as { n: number }).n;

const payload = () =>
  JSON.stringify(engagementEvent(`sig-${randomUUID()}`, "2025-03-06T10:00:00Z"));
const now = () => new Date();

function signed(body: string, at = now(), secret = SECRET) {
  const id = `msg_${randomUUID()}`;
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

async function send(body: string, headers: Record<string, string | null>) {
  return (await POST(webhookRequest(body, { headers }))).status;
}

describe("Standard Webhooks signatures", () => {
  it("accepts a valid signature, with or without the whsec_ prefix on the signing side", async () => {
    const body = payload();
    expect(await send(body, signed(body))).toBe(200);
    const unprefixed = payload();
    expect(await send(unprefixed, signed(unprefixed, now(), RAW_KEY.toString("base64")))).toBe(200);
  });

  // The 5-minute window both ways: inside it is accepted and stored, just past it is refused below.
  it.each([
    ["4 minutes old", -4],
    ["4 minutes ahead", 4],
  ])("accepts and stores a signature %s", async (_name, minutes) => {
    const before = deliveries();
    const body = payload();
    expect(await send(body, signed(body, new Date(Date.now() + minutes * 60 * 1000)))).toBe(200);
    expect(deliveries()).toBe(before + 1);
  });

  it("accepts when one of several signatures in the header is valid", async () => {
    const body = payload();
    const headers = signed(body);
    headers["webhook-signature"] =
      `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${headers["webhook-signature"]}`;
    expect(await send(body, headers)).toBe(200);
  });

  const refusals: [string, (body: string) => Record<string, string | null>][] = [
    ["missing webhook-id", (b) => ({ ...signed(b), "webhook-id": null })],
    ["missing webhook-timestamp", (b) => ({ ...signed(b), "webhook-timestamp": null })],
    ["missing webhook-signature", (b) => ({ ...signed(b), "webhook-signature": null })],
    ["non-numeric timestamp", (b) => ({ ...signed(b), "webhook-timestamp": "yesterday" })],
    ["timestamp too old", (b) => signed(b, new Date(Date.now() - 6 * 60 * 1000))],
    ["timestamp too new", (b) => signed(b, new Date(Date.now() + 6 * 60 * 1000))],
    [
      "truncated signature",
      (b) => {
        const h = signed(b);
        return { ...h, "webhook-signature": h["webhook-signature"].slice(0, -4) };
      },
    ],
    [
      "unknown signature version",
      (b) => {
        const h = signed(b);
        return { ...h, "webhook-signature": h["webhook-signature"].replace(/^v1,/, "v2,") };
      },
    ],
    [
      "no version prefix",
      (b) => ({ ...signed(b), "webhook-signature": signed(b)["webhook-signature"].slice(3) }),
    ],
    [
      "signed with another secret",
      (b) => signed(b, now(), `whsec_${Buffer.from("another").toString("base64")}`),
    ],
    ["webhook-id changed after signing", (b) => ({ ...signed(b), "webhook-id": "msg_other" })],
  ];

  it.each(refusals)("refuses %s with 401 and stores nothing", async (_name, headersFor) => {
    const before = deliveries();
    const body = payload();
    expect(await send(body, headersFor(body))).toBe(401);
    expect(deliveries()).toBe(before);
  });

  it("refuses a body changed after signing", async () => {
    const body = payload();
    expect(await send(body.replace("call", "note"), signed(body))).toBe(401);
  });
});
