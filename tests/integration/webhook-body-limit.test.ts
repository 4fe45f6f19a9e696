import { afterAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/morph/route";
import { MAX_BODY_BYTES } from "@/lib/config";
import { setUpAppDatabase } from "../helpers/temp-db";

const temp = setUpAppDatabase({
  WEBHOOK_SECRET: "limit-secret",
  WEBHOOK_ALLOW_UNSIGNED: undefined,
});
afterAll(() => temp.cleanup());

/** A request whose body is an endless-looking stream that counts what the server pulled. */
function streamingRequest(totalBytes: number, headers: Record<string, string>) {
  const chunk = new Uint8Array(64 * 1024).fill(0x20);
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= totalBytes) return controller.close();
      pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
  });
  const request = new Request("http://localhost/api/webhooks/morph", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-conector-id": "hubspot",
      "x-owner-id": "acme-prod",
      "x-idempotency-key": "stream",
      ...headers,
    },
    body,
    duplex: "half",
  } as RequestInit);
  return { request, pulled: () => pulled };
}

describe("body limit while streaming", () => {
  it("refuses a 50 MiB body after reading at most 1 MiB (plus one chunk)", async () => {
    const { request, pulled } = streamingRequest(50 * 1024 * 1024, {
      authorization: "Bearer limit-secret",
    });
    const response = await POST(request);
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe("payload_too_large");
    expect(pulled()).toBeLessThanOrEqual(MAX_BODY_BYTES + 2 * 64 * 1024);
  });

  it("refuses an unauthenticated flood before reading any of its body", async () => {
    const logged = () => temp.db.$client.prepare("select count(*) n from deliveries").get();
    const before = logged();
    const { request, pulled } = streamingRequest(50 * 1024 * 1024, {});
    const response = await POST(request);
    expect(response.status).toBe(401);
    expect(pulled()).toBeLessThanOrEqual(64 * 1024);
    expect(logged()).toEqual(before);
  });
});
