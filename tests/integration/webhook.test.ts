import { randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/webhooks/morph/route";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent, fixture, webhookRequest } from "../helpers/morph";

const SECRET = `whsec_${Buffer.from("a test secret of enough bytes!!").toString("base64")}`;
/** A JSON column: text on SQLite, parsed already on PostgreSQL. */
const json = (value: unknown) => (typeof value === "string" ? JSON.parse(value) : value);

async function post(body: unknown, options: Parameters<typeof webhookRequest>[1] = {}) {
  const response = await POST(webhookRequest(body, options));
  const text = await response.text();
  return { status: response.status, text, json: text ? JSON.parse(text) : null, response };
}

describe.each(testEngines())("the webhook on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore(engine, { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOW_UNSIGNED: "1" });
  });
  afterAll(() => temp.cleanup());
  beforeEach(() => {
    process.env.WEBHOOK_ALLOW_UNSIGNED = "1";
  });

  const count = async (table: string) =>
    Number((await temp.one(`select count(*) as n from ${table}`))!.n);
  const engagement = (externalId: string, owner = "acme-prod") =>
    temp.one(
      "select * from engagements where external_id = ? and connection_owner_id = ?",
      externalId,
      owner,
    );
  const lastDelivery = async () =>
    (await temp.one("select * from deliveries order by id desc limit 1"))!;

  describe("headers", () => {
    it.each(["x-conector-id", "x-owner-id", "x-idempotency-key"])(
      "answers 400 missing_header naming %s, logs the attempt, stores nothing",
      async (header) => {
        const before = await count("engagements");
        const { status, json } = await post(fixture("engagement-call-created"), {
          headers: { [header]: null },
        });
        expect(status).toBe(400);
        expect(json.error.code).toBe("missing_header");
        expect(json.error.message).toContain(header);
        expect(await count("engagements")).toBe(before);
        expect((await lastDelivery()).outcome).toBe("rejected");
      },
    );

    it("accepts x-connector-id as well as Morph's x-conector-id", async () => {
      const { status } = await post(engagementEvent("hdr-1", "2025-03-06T10:00:00Z"), {
        headers: { "x-conector-id": null, "x-connector-id": "salesforce" },
      });
      expect(status).toBe(200);
      expect((await engagement("hdr-1"))?.connector_id).toBe("salesforce");
    });
  });

  describe("status codes", () => {
    it("echoes the event with 200", async () => {
      const body = JSON.stringify(fixture("engagement-call-created"));
      const { status, text, response } = await post(body);
      expect(status).toBe(200);
      expect(text).toBe(body);
      expect(response.headers.get("content-type")).toContain("application/json");
    });

    it("answers 400 invalid_json for malformed JSON", async () => {
      const { status, json } = await post('{"event": "crmEngagement::created", ');
      expect(status).toBe(400);
      expect(json.error.code).toBe("invalid_json");
      expect((await lastDelivery()).outcome).toBe("rejected");
    });

    it("answers 415 for a non-JSON content type", async () => {
      const { status, json } = await post(fixture("engagement-call-created"), {
        headers: { "content-type": "text/plain" },
      });
      expect(status).toBe(415);
      expect(json.error.code).toBe("unsupported_media_type");
    });

    it("answers 413 for a body over 1 MiB and keeps no body in the log", async () => {
      const big = engagementEvent("big-1", "2025-03-06T10:00:00Z", {
        fields: { description: "x".repeat(1024 * 1024) },
      });
      const { status, json } = await post(big);
      expect(status).toBe(413);
      expect(json.error.code).toBe("payload_too_large");
      expect(await engagement("big-1")).toBeUndefined();
      expect((await lastDelivery()).body).toBeNull();
    });

    it("answers 422 invalid_event listing the paths of a bad envelope", async () => {
      const cases: [unknown, string][] = [
        [{ data: fixture("engagement-call-created").data }, "event"],
        [{ ...fixture("engagement-call-created"), event: "crmEngagement::archived" }, "event"],
        [
          { event: "crmEngagement::created", data: { ...fixture("user-created").data } },
          "data.model",
        ],
        [
          { event: "crmEngagement::created", data: { model: "crmEngagement", fields: {} } },
          "data.id",
        ],
        [
          { event: "crmEngagement::created", data: { model: "crmEngagement", id: "x" } },
          "data.fields",
        ],
      ];
      for (const [body, path] of cases) {
        const { status, json } = await post(body);
        expect(status).toBe(422);
        expect(json.error.code).toBe("invalid_event");
        expect(json.error.details.map((d: { path: string }) => d.path)).toContain(path);
      }
    });

    it("every error has the one JSON shape", async () => {
      const { json } = await post("nope");
      expect(Object.keys(json)).toEqual(["error"]);
      expect(typeof json.error.code).toBe("string");
      expect(typeof json.error.message).toBe("string");
    });
  });

  describe("authentication", () => {
    const body = () => engagementEvent(`auth-${randomUUID()}`, "2025-03-06T10:00:00Z");

    it("refuses a request without credentials with 401 and stores nothing", async () => {
      delete process.env.WEBHOOK_ALLOW_UNSIGNED;
      const deliveries = await count("deliveries");
      const { status, json } = await post(body());
      expect(status).toBe(401);
      expect(json.error.code).toBe("unauthorized");
      expect(await count("deliveries")).toBe(deliveries);
    });

    it("refuses a wrong token even when unsigned requests are allowed", async () => {
      const { status } = await post(body(), { query: "?token=wrong" });
      expect(status).toBe(401);
    });

    it("accepts the token on the URL", async () => {
      delete process.env.WEBHOOK_ALLOW_UNSIGNED;
      const { status } = await post(body(), { query: `?token=${encodeURIComponent(SECRET)}` });
      expect(status).toBe(200);
      expect(json((await lastDelivery()).headers)["x-auth-method"]).toBe("token");
    });

    it("accepts Authorization: Bearer and refuses a wrong one", async () => {
      delete process.env.WEBHOOK_ALLOW_UNSIGNED;
      expect((await post(body(), { headers: { authorization: `Bearer ${SECRET}` } })).status).toBe(
        200,
      );
      expect((await post(body(), { headers: { authorization: "Bearer nope" } })).status).toBe(401);
    });

    it("accepts a valid Standard Webhooks signature and refuses tampering or old timestamps", async () => {
      delete process.env.WEBHOOK_ALLOW_UNSIGNED;
      const signer = new Webhook(SECRET);
      const sign = (payload: string, at = new Date()) => {
        const id = `msg_${randomUUID()}`;
        return {
          "webhook-id": id,
          "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
          "webhook-signature": signer.sign(id, at, payload),
        };
      };
      const payload = JSON.stringify(body());
      expect((await post(payload, { headers: sign(payload) })).status).toBe(200);
      expect(json((await lastDelivery()).headers)["x-auth-method"]).toBe("signature");

      const deliveries = await count("deliveries");
      const tampered = JSON.stringify(body());
      expect((await post(tampered, { headers: sign(payload) })).status).toBe(401);
      const old = new Date(Date.now() - 10 * 60 * 1000);
      expect((await post(payload, { headers: sign(payload, old) })).status).toBe(401);
      expect(await count("deliveries")).toBe(deliveries);
    });
  });

  describe("idempotency", () => {
    it("replays the first response for the same key and body, and counts the repeat", async () => {
      const key = randomUUID();
      const body = JSON.stringify(engagementEvent("idem-1", "2025-03-06T10:00:00Z"));
      const first = await post(body, { key });
      const second = await post(body, { key });
      expect(second.status).toBe(first.status);
      expect(second.text).toBe(first.text);
      expect(second.response.headers.get("x-delivery-outcome")).toBe("duplicate");
      const original = await temp.all(
        "select * from deliveries where idempotency_key = ? order by id",
        key,
      );
      expect(original.map((row) => row.outcome)).toEqual(["applied", "duplicate"]);
      expect(original[0].repeat_count).toBe(1);
      expect(original[0].last_repeat_at).not.toBeNull();
    });

    it("answers 409 for the same key with another body, applies nothing, keeps the body", async () => {
      const key = randomUUID();
      await post(engagementEvent("idem-2", "2025-03-06T10:00:00Z"), { key });
      const changed = engagementEvent("idem-2", "2025-03-07T10:00:00Z", {
        fields: { title: "Changed" },
      });
      const { status, json } = await post(changed, { key });
      expect(status).toBe(409);
      expect(json.error.code).toBe("idempotency_conflict");
      expect((await engagement("idem-2"))?.title).not.toBe("Changed");
      const row = await lastDelivery();
      expect(row.outcome).toBe("conflict");
      expect(row.body).toBe(JSON.stringify(changed));
    });

    it("scopes keys by connection: one key in two tenants is two deliveries", async () => {
      const key = randomUUID();
      const body = engagementEvent("idem-3", "2025-03-06T10:00:00Z");
      expect((await post(body, { key, owner: "tenant-a" })).status).toBe(200);
      const other = await post(body, { key, owner: "tenant-b" });
      expect(other.response.headers.get("x-delivery-outcome")).toBe("applied");
    });

    it("a refused delivery binds nothing: the sender can fix it and retry with the same key", async () => {
      const key = randomUUID();
      const broken = { event: "crmEngagement::created", data: { model: "crmEngagement" } };
      expect((await post(broken, { key })).status).toBe(422);
      expect((await post(engagementEvent("idem-4", "2025-03-06T10:00:00Z"), { key })).status).toBe(
        200,
      );
      expect(await engagement("idem-4")).toBeDefined();
    });

    it("applies exactly one of 50 concurrent duplicates and replays the rest identically", async () => {
      const key = randomUUID();
      const body = JSON.stringify(engagementEvent("idem-5", "2025-03-06T10:00:00Z"));
      const results = await Promise.all(Array.from({ length: 50 }, () => post(body, { key })));
      expect(new Set(results.map((r) => r.status))).toEqual(new Set([200]));
      expect(new Set(results.map((r) => r.text)).size).toBe(1);
      const outcomes = (
        await temp.all(
          "select outcome, count(*) as n from deliveries where idempotency_key = ? group by outcome",
          key,
        )
      ).map((row) => ({ outcome: row.outcome, n: Number(row.n) }));
      expect(outcomes).toEqual(
        expect.arrayContaining([
          { outcome: "applied", n: 1 },
          { outcome: "duplicate", n: 49 },
        ]),
      );
      expect(outcomes).toHaveLength(2);
    });
  });

  describe("snapshots, order and tombstones", () => {
    it("applies a newer snapshot and records an older one as stale", async () => {
      await post(engagementEvent("ord-1", "2025-03-07T10:00:00Z", { fields: { title: "newest" } }));
      const stale = await post(
        engagementEvent("ord-1", "2025-03-06T10:00:00Z", { fields: { title: "older" } }),
      );
      expect(stale.status).toBe(200);
      expect(stale.response.headers.get("x-delivery-outcome")).toBe("stale");
      expect((await engagement("ord-1"))?.title).toBe("newest");
    });

    it("an updated for an unknown id creates it; an identical snapshot is unchanged", async () => {
      const body = engagementEvent("ord-2", "2025-03-07T10:00:00Z");
      expect((await post(body)).response.headers.get("x-delivery-outcome")).toBe("applied");
      expect((await post(body)).response.headers.get("x-delivery-outcome")).toBe("unchanged");
    });

    it("a delete is a tombstone that an older event cannot undo", async () => {
      await post(
        engagementEvent("tomb-1", "2025-03-06T10:00:00Z", { fields: { title: "Kept data" } }),
      );
      await post(engagementEvent("tomb-1", "2025-03-08T10:00:00Z", { action: "deleted" }));
      const row = (await engagement("tomb-1"))!;
      expect(row.deleted_at).not.toBeNull();
      expect(row.title).toBe("Kept data");
      const late = await post(
        engagementEvent("tomb-1", "2025-03-07T10:00:00Z", { fields: { title: "late" } }),
      );
      expect(late.response.headers.get("x-delivery-outcome")).toBe("stale");
      expect((await engagement("tomb-1"))?.deleted_at).not.toBeNull();
    });

    it("a delete that carries only data.id for an unknown engagement keeps a tombstone", async () => {
      const { status } = await post({
        event: "crmEngagement::deleted",
        data: { model: "crmEngagement", id: "tomb-2" },
      });
      expect(status).toBe(200);
      expect((await engagement("tomb-2"))?.deleted_at).not.toBeNull();
      const late = await post(
        engagementEvent("tomb-2", "2025-03-01T10:00:00Z", { action: "created" }),
      );
      expect(late.response.headers.get("x-delivery-outcome")).toBe("stale");
    });

    it("tenants never mix: the same id in two connections is two engagements", async () => {
      await post(engagementEvent("shared-id", "2025-03-06T10:00:00Z", { fields: { title: "A" } }), {
        owner: "a",
      });
      await post(engagementEvent("shared-id", "2025-03-06T10:00:00Z", { fields: { title: "B" } }), {
        owner: "b",
      });
      expect((await engagement("shared-id", "a"))?.title).toBe("A");
      expect((await engagement("shared-id", "b"))?.title).toBe("B");
    });
  });

  describe("fields", () => {
    it("stores an expanded reference as a record that resolves names", async () => {
      await post(fixture("engagement-email-expanded-refs"));
      const record = (await temp.one(
        "select * from records where model = 'genericContact' and external_id = '9004'",
      ))!;
      expect(record.name).toBe("Priya Natarajan");
      expect(record.email).toBe("priya@northwind.example");
    });

    it("stores users, contacts, companies and opportunities with display names", async () => {
      for (const name of [
        "user-created",
        "contact-created",
        "company-created",
        "opportunity-created",
      ]) {
        expect((await post(fixture(name))).status).toBe(200);
      }
      const names = await temp.all(
        "select model, name from records where external_id in ('501','9001','7001','4401') order by model",
      );
      expect(names).toEqual([
        { model: "crmOpportunity", name: "Acme — Enterprise renewal" },
        { model: "genericCompany", name: "Acme Logistics" },
        { model: "genericContact", name: "Marco Ibáñez" },
        { model: "genericUser", name: "Dana Whitfield" },
      ]);
    });

    it("keeps odd values raw with warnings on the delivery and the engagement", async () => {
      const odd = engagementEvent("odd-1", "2025-03-06T10:00:00Z", {
        fields: { type: "sms", startedAt: "last tuesday", duration: -5 },
      });
      const { status } = await post(odd);
      expect(status).toBe(200);
      const row = (await engagement("odd-1"))!;
      expect(row.type).toBe("sms");
      const { fields } = (await temp.store.getEngagement(row.id as number))!;
      expect(fields.type).toBe("sms");
      expect(fields.startedAt).toBe("last tuesday");
      expect(fields.duration).toBe(-5);
      const warnings = json(row.warnings) as string[];
      expect(warnings.join("\n")).toMatch(/fields\.type/);
      expect(warnings.join("\n")).toMatch(/fields\.startedAt/);
      expect(warnings.join("\n")).toMatch(/fields\.duration/);
      expect(json((await lastDelivery()).warnings)).toEqual(warnings);
    });
  });

  describe("values an engine cannot hold as they are", () => {
    it("stores a NUL or a lone surrogate in a field, and replays the answer", async () => {
      const key = randomUUID();
      const body = JSON.stringify(
        engagementEvent("nul-1", "2025-03-06T10:00:00Z", {
          fields: { title: "a\u0000b", description: "half \ud800 a pair", odd: "\u0000" },
        }),
      );
      const first = await post(body, { key });
      expect(first.status).toBe(200);
      expect(first.text).toBe(body);
      const again = await post(body, { key });
      expect([again.status, again.text]).toEqual([200, body]);
      // PostgreSQL's text and jsonb have no U+0000 or lone surrogate: those become U+FFFD there.
      const row = (await engagement("nul-1"))!;
      expect(row.title).toBe(engine === "postgres" ? "a\ufffdb" : "a\u0000b");
      const { fields } = (await temp.store.getEngagement(row.id as number))!;
      expect(fields.odd).toBe(engine === "postgres" ? "\ufffd" : "\u0000");
      expect(fields.description).toMatch(/^half .* a pair$/);
    });

    it("keeps a duration too large for a whole-number column in the snapshot", async () => {
      const { status } = await post(
        engagementEvent("huge-1", "2025-03-06T10:00:00Z", { fields: { duration: 1e300 } }),
      );
      expect(status).toBe(200);
      const row = (await engagement("huge-1"))!;
      const detail = (await temp.store.getEngagement(row.id as number))!;
      expect(detail.fields.duration).toBe(1e300);
    });

    it("an id too long to index: stored on SQLite, a 422 that binds nothing on PostgreSQL", async () => {
      const key = randomUUID();
      // Random hex does not compress: past PostgreSQL's ~2.7 kB index entries.
      const id = Array.from({ length: 200 }, () => randomUUID().replaceAll("-", "")).join("");
      const { status, json: answer } = await post(engagementEvent(id, "2025-03-06T10:00:00Z"), {
        key,
      });
      if (engine === "sqlite") {
        expect(status).toBe(200);
        return;
      }
      expect(status).toBe(422);
      expect(answer.error.code).toBe("invalid_event");
      expect(answer.error.details).toEqual([expect.objectContaining({ path: "data.id" })]);
      const logged = await lastDelivery();
      expect(logged).toMatchObject({ outcome: "rejected", http_status: 422 });
      expect((logged.resource_id as string).length).toBeLessThan(id.length);
      expect(await temp.all("select id from engagements where external_id = ?", id)).toEqual([]);
      const fixed = await post(engagementEvent("short-id", "2025-03-06T10:00:00Z"), { key });
      expect(fixed.status).toBe(200);
    });
  });
});
