import { randomUUID } from "node:crypto";
import { expect, test } from "@playwright/test";
import { seededRandom } from "../../helpers/seeded-random";
import { startAppOnFreshDatabase } from "../../helpers/server";
import { snapshot } from "./load";

/** Concurrency against the real server: 100 requests in flight at once, over real sockets. */
let app: Awaited<ReturnType<typeof startAppOnFreshDatabase>>;

test.beforeAll(async () => {
  app = await startAppOnFreshDatabase("engagements-concurrency-", {
    WEBHOOK_ALLOW_UNSIGNED: "1",
    APP_ALLOW_PUBLIC: "1",
  });
});
test.afterAll(() => app.stop());

function post(body: string, key: string) {
  return fetch(`${app.url}/api/webhooks/morph`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-conector-id": "hubspot",
      "x-owner-id": "concurrency",
      "x-idempotency-key": key,
    },
    body,
  });
}

test("100 concurrent deliveries of one key: one applied, 99 identical replays", async ({
  request,
}) => {
  const key = randomUUID();
  const body = snapshot(`one-key-${key}`, 1);
  const responses = await Promise.all(Array.from({ length: 100 }, () => post(body, key)));
  const results = await Promise.all(
    responses.map(async (r) => ({
      status: r.status,
      outcome: r.headers.get("x-delivery-outcome"),
      text: await r.text(),
    })),
  );
  expect(results.every((r) => r.status === 200)).toBe(true);
  expect(new Set(results.map((r) => r.text)).size).toBe(1);
  expect(results.filter((r) => r.outcome === "applied")).toHaveLength(1);
  expect(results.filter((r) => r.outcome === "duplicate")).toHaveLength(99);

  const log = await (await request.get(`${app.url}/api/deliveries?key=${key}&limit=200`)).json();
  expect(log.data).toHaveLength(100);
});

test("100 concurrent snapshots of one engagement in shuffled order: the newest wins, no 5xx", async ({
  request,
}) => {
  const id = `shuffled-${randomUUID()}`;
  const random = seededRandom("shuffled snapshots");
  const minutes = random.shuffle(Array.from({ length: 100 }, (_, i) => i));
  // The newest is never simply the one sent last.
  if (minutes.at(-1) === 99) minutes.reverse();
  const responses = await Promise.all(
    minutes.map((minute) => post(snapshot(id, minute), randomUUID())),
  );
  const statuses = responses.map((r) => r.status);
  expect(statuses.filter((s) => s !== 200)).toEqual([]);

  const list = await (
    await request.get(`${app.url}/api/engagements?connection=hubspot:concurrency&limit=200`)
  ).json();
  const stored = list.data.find((e: { externalId: string }) => e.externalId === id);
  expect(stored.title).toBe("version 99");
});
