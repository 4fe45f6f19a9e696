import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordModel, RefRole } from "@/db/models";
import type { Store } from "@/db/store";
import { ingest } from "@/lib/ingest/ingest";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { deliveryQuery } from "../helpers/ingest-queries";
import { engagementEvent, fixture } from "../helpers/morph";

const RECEIVED = Date.parse("2025-03-09T12:00:00.000Z");
const FIXTURES = [
  "user-created",
  "contact-created",
  "company-created",
  "opportunity-created",
  "engagement-call-created",
  "engagement-meeting-updated",
  "engagement-email-expanded-refs",
  "engagement-deleted",
];

/** The same deliveries, in the same order, at the same instants, into one store. */
async function feed(store: Store) {
  let n = 0;
  const send = (body: unknown, key = `key-${++n}`, owner = "acme-prod") =>
    ingest(store, typeof body === "string" ? body : JSON.stringify(body), {
      connectorId: "hubspot",
      connectionOwnerId: owner,
      idempotencyKey: key,
      headers: { "x-idempotency-key": key, "content-type": "application/json" },
      receivedAt: RECEIVED + n * 1000,
    }).catch((error: unknown) => error);
  for (const name of FIXTURES) await send(fixture(name));
  await send(fixture("engagement-call-created"), "key-5");
  await send(engagementEvent("eng-x", "2025-03-06T10:00:00Z"));
  await send(engagementEvent("eng-x", "2025-03-01T10:00:00Z"));
  // key-5 again: about another resource it applies, warned; another body for its own, a 409.
  await send(engagementEvent("eng-x", "2025-03-06T10:00:00Z"), "key-5");
  const call = fixture("engagement-call-created");
  await send({ ...call, data: { ...call.data, updatedAt: "2025-03-10T00:00:00.000Z" } }, "key-5");
  await send("{ not json");
  await send({ event: "crmEngagement::exploded", data: { id: "eng_9" } });
  await send(fixture("contact-created"), "key-other", "beta");
  await store.logRefusal({
    connectorId: "hubspot",
    connectionOwnerId: null,
    idempotencyKey: null,
    headers: { "content-type": "text/plain" },
    receivedAt: RECEIVED,
    rawBody: "x",
    bodyHash: null,
    about: { event: null, model: null, resourceId: null },
    error: { status: 415, code: "unsupported_media_type", message: "JSON only.", details: [1] },
  });
}

/** Processing time is the one thing two engines cannot agree on. */
const timeless = <T extends { durationMs: number }>(row: T) => ({ ...row, durationMs: 0 });

describe.runIf(testEngines().length === 2)("SQLite and PostgreSQL answer alike", () => {
  let engines: EngineStore[];
  beforeAll(async () => {
    engines = await Promise.all((["sqlite", "postgres"] as const).map(openEngineStore));
    for (const { store } of engines) await feed(store);
  });
  afterAll(() => Promise.all(engines.map((e) => e.cleanup())));

  /** `ask` on both engines; the answers, serialized, must be the same text. */
  async function expectSame(ask: (store: Store) => Promise<unknown>) {
    const [sqlite, postgres] = await Promise.all(engines.map((e) => ask(e.store)));
    expect(postgres).toEqual(sqlite);
    return sqlite;
  }

  it("lists, counts and filters the log alike", async () => {
    for (const search of ["", "limit=4", "outcome=duplicate&outcome=conflict", "key=key-5"]) {
      const page = await expectSame(async (store) => {
        const { data, next } = await store.listDeliveries(deliveryQuery(search));
        return { data: data.map(timeless), next };
      });
      expect((page as { data: unknown[] }).data.length).toBeGreaterThan(0);
    }
    const counts = await expectSame(async (store) =>
      JSON.stringify(await store.countDeliveriesByOutcome(deliveryQuery())),
    );
    expect(JSON.parse(counts as string)).toEqual({
      applied: 10,
      conflict: 1,
      duplicate: 1,
      rejected: 3,
      stale: 1,
      unchanged: 1,
    });
    await expectSame((store) => store.deliveryFilterChoices());
  });

  it("shows every delivery whole alike", async () => {
    for (let id = 1; id <= 18; id++) {
      await expectSame(async (store) => {
        const detail = await store.getDelivery(id);
        if (!detail) return null;
        const { original, repeats, error, ...rest } = detail;
        return {
          ...timeless(rest),
          // The error's keys in order, as the API writes them.
          error: JSON.stringify(error),
          original: original && timeless(original),
          repeats: repeats.map(timeless),
        };
      });
    }
  });

  it("reads records, pickers and connections alike", async () => {
    const models: [RecordModel, RefRole, string][] = [
      ["genericUser", "user", "501"],
      ["genericContact", "contact", "9001"],
      ["genericContact", "contact", "9004"],
      ["genericCompany", "company", "7001"],
      ["crmOpportunity", "opportunity", "4401"],
    ];
    for (const [model, role, id] of models) {
      const connection = { connectorId: "hubspot", connectionOwnerId: "acme-prod" };
      expect(await expectSame((store) => store.getRecord(model, connection, id))).not.toBeNull();
      await expectSame((store) => store.connectionsOf(model, role, id));
      for (const q of ["", "a", "PRI", "mar", "@", id, "%", "_"]) {
        await expectSame((store) => store.searchRecords(model, q, null));
        await expectSame((store) => store.searchRecords(model, q, connection));
      }
    }
  });
});
