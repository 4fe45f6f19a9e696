import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getDeliveriesRoute } from "@/app/api/deliveries/route";
import { GET as getDeliveryRoute } from "@/app/api/deliveries/[id]/route";
import type { Store } from "@/db/store";
import type { DeliveryResult } from "@/db/types";
import {
  deliveriesHref,
  encodeDeliveryCursor,
  parseDeliveryFilter,
  type DeliveryFilter,
} from "@/lib/filters";
import { ingest } from "@/lib/ingest/ingest";
import { deliveryFilter as filter, deliveryQuery } from "../helpers/ingest-queries";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent } from "../helpers/morph";

const DAY1 = Date.parse("2025-03-06T10:00:00.000Z");
const DAY2 = Date.parse("2025-03-07T10:00:00.000Z");

describe.each(testEngines())("the delivery log on %s", (engine) => {
  let temp: EngineStore;
  let store: Store;

  function deliver(
    body: unknown,
    options: { key: string; connector?: string; owner?: string; at?: number },
  ): Promise<DeliveryResult> {
    return ingest(store, typeof body === "string" ? body : JSON.stringify(body), {
      connectorId: options.connector ?? "hubspot",
      connectionOwnerId: options.owner ?? "acme-prod",
      idempotencyKey: options.key,
      headers: { "content-type": "application/json", "x-idempotency-key": options.key },
      receivedAt: options.at ?? DAY1,
    });
  }

  const list = (f: DeliveryFilter) => store.listDeliveries(deliveryQuery(f));
  const ids = async (f: DeliveryFilter) => (await list(f)).data.map((row) => row.id);

  const delivered = {} as Record<
    "applied" | "dup1" | "dup2" | "conflict" | "rejected" | "stale" | "other" | "day2",
    number
  >;

  beforeAll(async () => {
    temp = await setUpAppStore(engine);
    store = temp.store;
    const first = engagementEvent("eng_1", "2025-03-06T09:00:00.000Z", { action: "created" });
    delivered.applied = (await deliver(first, { key: "key-1" })).deliveryId;
    delivered.dup1 = (await deliver(first, { key: "key-1" })).deliveryId;
    delivered.dup2 = (await deliver(first, { key: "key-1" })).deliveryId;
    const changed = engagementEvent("eng_1", "2025-03-06T09:30:00.000Z");
    delivered.conflict = (await deliver(changed, { key: "key-1" })).deliveryId;
    delivered.rejected = (
      await deliver(
        { event: "crmEngagement::exploded", data: { id: "eng_9" } },
        {
          key: "key-bad",
        },
      )
    ).deliveryId;
    delivered.stale = (
      await deliver(engagementEvent("eng_1", "2025-03-05T00:00:00.000Z"), {
        key: "key-old",
      })
    ).deliveryId;
    delivered.other = (
      await deliver(engagementEvent("eng_2", "2025-03-06T09:00:00.000Z"), {
        key: "key-2",
        connector: "pipedrive",
        owner: "beta",
      })
    ).deliveryId;
    delivered.day2 = (
      await deliver(engagementEvent("eng_3", "2025-03-07T09:00:00.000Z"), {
        key: "key-3",
        at: DAY2,
      })
    ).deliveryId;
  });
  afterAll(() => temp.cleanup());

  describe("listDeliveries", () => {
    it("lists every delivery newest first with the outcome ingest gave it", async () => {
      const page = await list(filter());
      expect(page.data.map((row) => row.id)).toEqual(
        Object.values(delivered).sort((a, b) => b - a),
      );
      expect(page.next).toBeNull();
      const outcome = Object.fromEntries(page.data.map((row) => [row.id, row.outcome]));
      expect(outcome[delivered.applied]).toBe("applied");
      expect(outcome[delivered.dup1]).toBe("duplicate");
      expect(outcome[delivered.conflict]).toBe("conflict");
      expect(outcome[delivered.rejected]).toBe("rejected");
      expect(outcome[delivered.stale]).toBe("stale");
    });

    it("counts how often a bound key came back on the delivery that bound it", async () => {
      const original = (await list(filter())).data.find((r) => r.id === delivered.applied)!;
      // Two duplicates and one conflict reused key-1.
      expect(original.repeatCount).toBe(3);
      expect(original.lastRepeatAt).toBe(new Date(DAY1).toISOString());
    });

    it("filters by outcome, one or several", async () => {
      expect(await ids(filter("outcome=duplicate"))).toEqual([delivered.dup2, delivered.dup1]);
      expect(await ids(filter("outcome=conflict&outcome=rejected"))).toEqual([
        delivered.rejected,
        delivered.conflict,
      ]);
      const dups = (await list(filter("outcome=duplicate"))).data;
      expect(dups.every((row) => row.originalDeliveryId === delivered.applied)).toBe(true);
      expect(dups.every((row) => row.httpStatus === 200)).toBe(true);
    });

    it("filters by event, connection, key and resource", async () => {
      expect(await ids(filter("event=crmEngagement::exploded"))).toEqual([delivered.rejected]);
      // Several events: each one's deliveries, newest first (only the first eng_1 was "created").
      expect(
        await ids(filter("event=crmEngagement::exploded&event=crmEngagement::created")),
      ).toEqual([delivered.rejected, delivered.dup2, delivered.dup1, delivered.applied]);
      expect(await ids(filter("connection=pipedrive:beta"))).toEqual([delivered.other]);
      expect(await ids(filter("connection=hubspot:acme-prod"))).not.toContain(delivered.other);
      expect(await ids(filter("key=key-1"))).toEqual([
        delivered.conflict,
        delivered.dup2,
        delivered.dup1,
        delivered.applied,
      ]);
      expect((await ids(filter("resource=eng_1"))).sort()).toEqual(
        [
          delivered.applied,
          delivered.dup1,
          delivered.dup2,
          delivered.conflict,
          delivered.stale,
        ].sort(),
      );
      // A rejected body still says what it was about.
      expect(await ids(filter("resource=eng_9"))).toEqual([delivered.rejected]);
    });

    it("filters by received date, bare dates covering their whole day", async () => {
      expect(await ids(filter("from=2025-03-07"))).toEqual([delivered.day2]);
      expect(await ids(filter("to=2025-03-06"))).not.toContain(delivered.day2);
      expect(await ids(filter("to=2025-03-06"))).toHaveLength(7);
      expect(await ids(filter("from=2025-03-06T10:00:00Z&to=2025-03-06T10:00:00Z"))).toHaveLength(
        7,
      );
      expect(await ids(filter("from=2025-03-08"))).toEqual([]);
    });

    it("combines filters", async () => {
      expect(await ids(filter("key=key-1&outcome=conflict"))).toEqual([delivered.conflict]);
      expect(await ids(filter("resource=eng_1&outcome=applied&connection=pipedrive:beta"))).toEqual(
        [],
      );
    });

    it("pages with a keyset cursor: no overlap, no gap, null at the end", async () => {
      const seen: number[] = [];
      let next: number | null = null;
      let pages = 0;
      do {
        // The page's `next` goes out as the opaque URL cursor and comes back through the filter.
        const query: string = `limit=3${next !== null ? `&cursor=${encodeDeliveryCursor(next)}` : ""}`;
        const page = await list(filter(query));
        expect(page.data.length).toBeLessThanOrEqual(3);
        seen.push(...page.data.map((row) => row.id));
        next = page.next;
        pages++;
      } while (next !== null && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual(Object.values(delivered).sort((a, b) => b - a));
    });

    it("counts per outcome under the other filters", async () => {
      expect(
        await store.countDeliveriesByOutcome(deliveryQuery("key=key-1&outcome=applied")),
      ).toEqual({
        applied: 1,
        duplicate: 2,
        conflict: 1,
      });
    });
  });

  describe("parseDeliveryFilter", () => {
    it("treats bad values as no filter", async () => {
      const f = filter(
        "outcome=bogus&connection=nocolon&from=yesterday&to=2025-13-45&limit=-4&cursor=%%%&key=",
      );
      expect(f).toMatchObject({ outcome: [], limit: 50 });
      expect(f.connection).toBeUndefined();
      expect(f.from).toBeUndefined();
      expect(f.to).toBeUndefined();
      expect(f.cursor).toBeUndefined();
      expect(f.key).toBeUndefined();
      expect(await ids(f)).toHaveLength(8);
    });

    it("caps the page size at 200", () => {
      expect(filter("limit=5000").limit).toBe(200);
      expect(filter("limit=7").limit).toBe(7);
    });

    it("round-trips through the links it builds", () => {
      const f = filter(
        "outcome=stale&connection=hubspot:acme-prod&key=k&resource=r&from=2025-03-01",
      );
      const href = deliveriesHref(f);
      expect(parseDeliveryFilter(new URL(href, "http://x").searchParams)).toEqual(f);
    });
  });

  describe("getDelivery", () => {
    it("shows an accepted delivery whole, its response being the event echoed", async () => {
      const d = (await store.getDelivery(delivered.applied))!;
      expect(d.body).toContain('"eng_1"');
      expect(d.response).toBe(d.body);
      expect(d.headers["x-idempotency-key"]).toBe("key-1");
      expect(d.engagement).toMatchObject({ externalId: "eng_1", type: "call" });
      expect(d.repeats.map((r) => r.id)).toEqual([
        delivered.dup1,
        delivered.dup2,
        delivered.conflict,
      ]);
      expect(d.original).toBeNull();
    });

    it("links a duplicate and a conflict to the delivery that bound the key", async () => {
      const dup = (await store.getDelivery(delivered.dup1))!;
      expect(dup.original?.id).toBe(delivered.applied);
      expect(dup.response).toBe((await store.getDelivery(delivered.applied))!.body);
      const conflict = (await store.getDelivery(delivered.conflict))!;
      expect(conflict.original?.id).toBe(delivered.applied);
      expect(conflict.httpStatus).toBe(409);
      expect(conflict.error?.code).toBe("idempotency_conflict");
      expect(JSON.parse(conflict.response!).error.code).toBe("idempotency_conflict");
    });

    it("keeps a rejection's error and returns null for an unknown id", async () => {
      const rejected = (await store.getDelivery(delivered.rejected))!;
      expect(rejected.httpStatus).toBe(422);
      expect(rejected.error?.code).toBe("invalid_event");
      expect(rejected.engagement).toBeNull();
      expect(await store.getDelivery(999_999)).toBeNull();
    });
  });

  describe("the deliveries that touched an engagement", () => {
    it("lists what touched an engagement, oldest first, repeats included", async () => {
      const engagementId = (await store.getDelivery(delivered.applied))!.engagement!.id;
      const detail = (await store.getEngagement(engagementId))!;
      // The engagement lists the deliveries that carried it, oldest first...
      expect(detail.deliveries.map((d) => [d.id, d.outcome])).toEqual([
        [delivered.applied, "applied"],
        [delivered.stale, "stale"],
      ]);
      expect(detail.deliveries[0]!.repeatCount).toBe(3);
      // ...and each of those its repeats, oldest first (they replay a response and so carry no
      // engagement of their own).
      const touched: number[] = [];
      for (const touch of detail.deliveries) {
        const repeats = (await store.getDelivery(touch.id))!.repeats;
        touched.push(touch.id, ...repeats.map((r) => r.id));
      }
      expect(touched).toEqual([
        delivered.applied,
        delivered.dup1,
        delivered.dup2,
        delivered.conflict,
        delivered.stale,
      ]);
      expect(await store.getEngagement(999_999)).toBeNull();
    });
  });

  describe("GET /api/deliveries", () => {
    const get = (query: string) =>
      getDeliveriesRoute(new Request(`http://localhost/api/deliveries${query}`));

    it("answers {data, nextCursor} with the filters applied", async () => {
      const res = await get("?outcome=conflict");
      expect(res.status).toBe(200);
      const body = await res.json();
      expect(Object.keys(body).sort()).toEqual(["data", "nextCursor"]);
      expect(body.data.map((row: { id: number }) => row.id)).toEqual([delivered.conflict]);
      expect(body.data[0]).toMatchObject({ idempotencyKey: "key-1", httpStatus: 409 });
      expect(body.data[0].receivedAt).toBe(new Date(DAY1).toISOString());
      expect(body.data[0]).not.toHaveProperty("body");
    });

    it("pages through nextCursor", async () => {
      const first = await (await get("?limit=5")).json();
      expect(first.data).toHaveLength(5);
      const second = await (await get(`?limit=5&cursor=${first.nextCursor}`)).json();
      expect(second.data).toHaveLength(3);
      expect(second.nextCursor).toBeNull();
      expect(second.data[0].id).toBeLessThan(first.data[4].id);
    });

    it("never fails on nonsense parameters", async () => {
      const res = await get("?outcome=%00&limit=abc&cursor=zzz&from=not-a-date&connection=:");
      expect(res.status).toBe(200);
      expect((await res.json()).data).toHaveLength(8);
    });

    it("returns one delivery, or 404 in the error shape", async () => {
      const ok = await getDeliveryRoute(new Request("http://localhost/api/deliveries/1"), {
        params: Promise.resolve({ id: String(delivered.dup1) }),
      });
      expect(ok.status).toBe(200);
      expect((await ok.json()).original.id).toBe(delivered.applied);
      for (const id of ["999999", "abc", "-1", "1e3"]) {
        const missing = await getDeliveryRoute(new Request("http://localhost/api/deliveries/x"), {
          params: Promise.resolve({ id }),
        });
        expect(missing.status).toBe(404);
        expect((await missing.json()).error.code).toBe("not_found");
      }
    });
  });
});
