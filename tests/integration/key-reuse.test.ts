import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/morph/route";
import { KEY_REUSED_WARNING } from "@/db/rules";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent, fixture, webhookRequest, type PostOptions } from "../helpers/morph";

/** A JSON column: text on SQLite, parsed already on PostgreSQL. */
const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

async function post(body: unknown, options: PostOptions = {}) {
  const response = await POST(webhookRequest(body, options));
  const text = await response.text();
  const outcome = response.headers.get("x-delivery-outcome");
  return { status: response.status, text, outcome, json: text ? JSON.parse(text) : null };
}

/** Two calls in one second, keyed the way Morph's Aircall connector keys them: no record id. */
const aircallKey = () => `crmEngagement::created:${randomUUID()}`;
const call = (id: string, title = `Call ${id}`) =>
  JSON.stringify(
    engagementEvent(id, "2025-03-06T10:00:00Z", { action: "created", fields: { title } }),
  );

describe.each(testEngines())("a key reused for another resource on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore(engine, { WEBHOOK_ALLOW_UNSIGNED: "1" });
  });
  afterAll(() => temp.cleanup());

  const rows = (key: string) =>
    temp.all(
      `select id, resource_id, model, outcome, http_status, warnings, repeat_count,
              original_delivery_id
         from deliveries where idempotency_key = ? order by id`,
      key,
    );
  const titles = async (ids: string[]) =>
    (
      await temp.all(
        `select external_id, title from engagements
          where external_id in (${ids.map(() => "?").join(", ")}) order by external_id`,
        ...ids,
      )
    ).map((row) => `${row.external_id}: ${row.title}`);

  it("applies the second resource as its own delivery, warned, and binds the key for each", async () => {
    const key = aircallKey();
    const first = await post(call("air-1"), { key });
    const second = await post(call("air-2"), { key });
    expect([first.status, first.outcome]).toEqual([200, "applied"]);
    expect([second.status, second.outcome, second.text]).toEqual([200, "applied", call("air-2")]);
    expect(await titles(["air-1", "air-2"])).toEqual(["air-1: Call air-1", "air-2: Call air-2"]);
    const [a, b] = await rows(key);
    expect(json(a!.warnings)).toEqual([]);
    expect(json(b!.warnings)).toEqual([KEY_REUSED_WARNING]);

    // Each resource's retry replays its own first answer and is counted on its own row.
    const retryB = await post(call("air-2"), { key });
    const retryA = await post(call("air-1"), { key });
    expect([retryB.outcome, retryB.text]).toEqual(["duplicate", call("air-2")]);
    expect([retryA.outcome, retryA.text]).toEqual(["duplicate", call("air-1")]);
    const logged = await rows(key);
    expect(logged.map((row) => [row.resource_id, row.outcome, Number(row.repeat_count)])).toEqual([
      ["air-1", "applied", 1],
      ["air-2", "applied", 1],
      ["air-2", "duplicate", 0],
      ["air-1", "duplicate", 0],
    ]);
    expect(logged[2]!.original_delivery_id).toBe(b!.id);
    expect(logged[3]!.original_delivery_id).toBe(a!.id);
  });

  it("answers 409 for another body about the second resource, naming its own first delivery", async () => {
    const key = aircallKey();
    await post(call("air-3"), { key });
    await post(call("air-4"), { key });
    const changed = await post(call("air-4", "Changed"), { key });
    expect(changed.status).toBe(409);
    expect(changed.json.error.code).toBe("idempotency_conflict");
    const [, second] = await rows(key);
    expect(changed.json.error.details).toEqual({ originalDeliveryId: second!.id });
    expect(await titles(["air-4"])).toEqual(["air-4: Call air-4"]);
  });

  it("takes the same id under another model as another resource", async () => {
    const key = aircallKey();
    const engagement = JSON.stringify(engagementEvent("501", "2025-03-06T10:00:00Z"));
    const user = JSON.stringify(fixture("user-created"));
    expect((await post(engagement, { key })).outcome).toBe("applied");
    const other = await post(user, { key });
    expect([other.status, other.outcome]).toEqual([200, "applied"]);
    const logged = await rows(key);
    expect(logged.map((row) => [row.model, json(row.warnings)])).toEqual([
      ["crmEngagement", []],
      ["genericUser", [KEY_REUSED_WARNING]],
    ]);
    expect((await post(user, { key })).outcome).toBe("duplicate");
  });

  it("refuses a bad envelope under a key bound elsewhere as a bad envelope, binding nothing", async () => {
    const key = aircallKey();
    await post(call("air-5"), { key });
    const broken = await post(
      { event: "crmEngagement::created", data: { model: "crmEngagement" } },
      { key },
    );
    expect([broken.status, broken.json.error.code]).toEqual([422, "invalid_event"]);
  });

  it("applies once of 20 concurrent retries of the second resource, and replays the rest", async () => {
    const key = aircallKey();
    await post(call("air-6"), { key });
    const body = call("air-7");
    const results = await Promise.all(Array.from({ length: 20 }, () => post(body, { key })));
    expect(new Set(results.map((r) => `${r.status} ${r.text}`))).toEqual(new Set([`200 ${body}`]));
    const outcomes = results.map((r) => r.outcome).sort();
    expect(outcomes).toEqual(["applied", ...Array<string>(19).fill("duplicate")]);
    expect(await titles(["air-7"])).toEqual(["air-7: Call air-7"]);
    const applied = (await rows(key)).filter((row) => row.resource_id === "air-7")[0]!;
    expect([applied.outcome, json(applied.warnings)]).toEqual(["applied", [KEY_REUSED_WARNING]]);
    expect(Number(applied.repeat_count)).toBe(19);
  });

  it("scopes a key by connector alone: the same key and owner in another connector binds anew", async () => {
    const key = aircallKey();
    await post(call("air-8"), { key, connector: "aircall" });
    const other = await post(call("air-8", "Changed"), { key, connector: "hubspot" });
    expect([other.status, other.outcome]).toEqual([200, "applied"]);
    const logged = await rows(key);
    expect(logged.map((row) => json(row.warnings))).toEqual([[], []]);
    const again = await post(call("air-8", "Changed again"), { key, connector: "aircall" });
    expect(again.status).toBe(409);
  });
});
