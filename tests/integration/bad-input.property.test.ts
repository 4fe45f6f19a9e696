import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/morph/route";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { fixture, webhookRequest } from "../helpers/morph";

const DOCUMENTED = new Set([200, 400, 409, 413, 415, 422]);

/** Mutates one path of a valid event to an arbitrary JSON value (or removes it). */
function mutate(event: unknown, path: string[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  if (typeof event !== "object" || event === null) return event;
  const copy: Record<string, unknown> = Array.isArray(event) ? ([...event] as never) : { ...event };
  const [head, ...rest] = path;
  if (rest.length === 0 && remove) delete copy[head];
  else copy[head] = mutate(copy[head], rest, value, remove);
  return copy;
}

const PATHS = [
  ["event"],
  ["data"],
  ["data", "model"],
  ["data", "id"],
  ["data", "fields"],
  ["data", "updatedAt"],
  ["data", "createdAt"],
  ["data", "fields", "type"],
  ["data", "fields", "startedAt"],
  ["data", "fields", "duration"],
  ["data", "fields", "owner"],
  ["data", "fields", "owner", "id"],
  ["data", "fields", "contacts"],
  ["data", "fields", "contacts", "0"],
  ["data", "fields", "contacts", "0", "fields"],
  ["data", "fields", "title"],
];

const nasty = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }),
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.constantFrom("__proto__", "constructor", "\u0000", "\ud800", "NaN", "-1", "1e309", "", " "),
  fc.integer(),
  fc.double(),
  fc.constant(null),
);

describe.each(testEngines())("bad input never breaks the endpoint on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore(engine, {
      WEBHOOK_ALLOW_UNSIGNED: "1",
      WEBHOOK_SECRET: "fuzz-secret",
    });
  });
  afterAll(() => temp.cleanup());
  let tried = 0;

  async function expectDocumentedAnswer(body: string) {
    tried++;
    const key = randomUUID();
    const counts = async () =>
      (await temp.one(
        `select (select count(*) from engagements) as e, (select count(*) from records) as r,
                (select count(*) from engagement_refs) as f`,
      ))!;
    const before = await counts();
    const response = await POST(webhookRequest(body, { key }));
    expect(
      DOCUMENTED.has(response.status),
      `status ${response.status} for ${body.slice(0, 200)}`,
    ).toBe(true);
    const json = JSON.parse(await response.text());
    const logged = await temp.all("select outcome from deliveries where idempotency_key = ?", key);
    expect(logged).toHaveLength(1);
    if (response.status !== 200) {
      expect(typeof json.error.code).toBe("string");
      expect(typeof json.error.message).toBe("string");
      // Refused: nothing written but the log row.
      expect(await counts()).toEqual(before);
    }
  }

  it("mutated envelopes get a 2xx or a documented 4xx, and refusals write nothing", async () => {
    const events = [
      "engagement-call-created",
      "engagement-email-expanded-refs",
      "opportunity-created",
    ].map(fixture);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...events),
        fc.array(fc.tuple(fc.constantFrom(...PATHS), nasty, fc.boolean()), {
          minLength: 1,
          maxLength: 3,
        }),
        async (event, mutations) => {
          let body: unknown = event;
          for (const [path, value, remove] of mutations) body = mutate(body, path, value, remove);
          await expectDocumentedAnswer(JSON.stringify(body));
        },
      ),
      { numRuns: 400 },
    );
  });

  it("arbitrary bodies, broken JSON and prototype keys are answered, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 300 }),
          fc.jsonValue({ maxDepth: 6 }).map((v) => JSON.stringify(v)),
          fc.constantFrom(
            '{"__proto__":{"polluted":1},"event":"crmEngagement::created","data":{"model":"crmEngagement","id":"p","fields":{}}}',
            '{"constructor":{"prototype":{"x":1}},"event":"genericUser::created","data":{"model":"genericUser","id":"c","fields":{"__proto__":{"firstName":"x"}}}}',
            '{"event":"crmEngagement::created","event":"genericUser::created","data":{"model":"genericUser","id":"dup","fields":{}}}',
            "[".repeat(5000) + "]".repeat(5000),
            '{"event":"crmEngagement::created","data":{"model":"crmEngagement","id":"' +
              "x".repeat(500_000) +
              '","fields":{}}}',
          ),
        ),
        async (body) => {
          await expectDocumentedAnswer(body);
        },
      ),
      { numRuns: 300 },
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("tried enough inputs to mean something", () => {
    expect(tried).toBeGreaterThanOrEqual(700);
    console.log(`bad-input property: ${tried} inputs tried`);
  });
});
