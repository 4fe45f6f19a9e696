import { randomUUID } from "node:crypto";
import pg from "pg";
import { expect, test } from "@playwright/test";
import {
  createPgTestDatabase,
  startPgCluster,
  type PgCluster,
} from "../../../scripts/lib/pg-cluster";
import { seededRandom } from "../../helpers/seeded-random";
import { testEngines } from "../../helpers/test-engines";
import { signalApp, startApp, stopApp, type RunningApp } from "../../helpers/server";
import { postDelivery, sendLoad, sleep, snapshot } from "./load";

/** Two app processes on one PostgreSQL database, as behind a load balancer. */
test.describe.configure({ mode: "serial" });
test.skip(!testEngines().includes("postgres"), "TEST_ENGINES leaves PostgreSQL out");

let cluster: PgCluster;
let databaseUrl: string;
let apps: RunningApp[] = [];
const env = () => ({
  DATABASE_URL: databaseUrl,
  WEBHOOK_ALLOW_UNSIGNED: "1",
  APP_ALLOW_PUBLIC: "1",
});

async function storedIds(owner: string): Promise<Set<string>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ external_id: string }>(
      "select e.external_id from engagements e join deliveries d on d.engagement_id = e.id and d.outcome = 'applied' where e.connection_owner_id = $1",
      [owner],
    );
    return new Set(rows.map((row) => row.external_id));
  } finally {
    await client.end();
  }
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  cluster = await startPgCluster();
  databaseUrl = await createPgTestDatabase(cluster.adminUrl, "app");
  apps = [await startApp(env()), await startApp(env())];
});

test.afterAll(async () => {
  await Promise.all(apps.map((app) => stopApp(app)));
  cluster?.destroy();
});

test("100 concurrent duplicates split across two processes: one applied, 99 identical replays", async () => {
  const key = randomUUID();
  const body = snapshot(`dup-${key}`, 1);
  const responses = await Promise.all(
    Array.from({ length: 100 }, (_, i) => postDelivery(apps[i % 2]!.url, "dup", key, body)),
  );
  const answers = await Promise.all(
    responses.map(async (r) => ({
      status: r.status,
      outcome: r.headers.get("x-delivery-outcome"),
      text: await r.text(),
    })),
  );
  expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
  expect(answers.filter((a) => a.outcome === "applied")).toHaveLength(1);
  expect(answers.filter((a) => a.outcome === "duplicate")).toHaveLength(99);
  expect(new Set(answers.map((a) => a.text)).size).toBe(1);
  expect((await storedIds("dup")).size).toBe(1);
});

test("60 shuffled snapshots of one engagement across two processes: the newest is stored", async ({
  request,
}) => {
  const id = `shuffled-${randomUUID()}`;
  const random = seededRandom("postgres shuffled snapshots");
  const minutes = random.shuffle(Array.from({ length: 60 }, (_, i) => i + 1));
  const responses = await Promise.all(
    minutes.map((minute, i) =>
      postDelivery(apps[i % 2]!.url, "shuffle", randomUUID(), snapshot(id, minute)),
    ),
  );
  expect(responses.map((r) => r.status)).toEqual(Array(60).fill(200));
  const list = await request.get(
    `${apps[0]!.url}/api/engagements?q=${encodeURIComponent("version")}&limit=200`,
  );
  const found = ((await list.json()).data as { externalId: string; title: string }[]).filter(
    (row) => row.externalId === id,
  );
  expect(found).toEqual([expect.objectContaining({ title: "version 60" })]);
});

test("kill -9 of one process under 16-way load: the other keeps answering, 0 acknowledged lost", async () => {
  test.setTimeout(120_000);
  let stop = false;
  const random = seededRandom("postgres kill timing");
  const load = sendLoad(
    apps.map((app) => app.url),
    "kill9",
    16,
    () => stop,
  );
  await sleep(1_000 + random.next() * 1_000);
  signalApp(apps[0]!, "SIGKILL");
  const killedAt = Date.now();
  await sleep(2_000);
  stop = true;
  const result = await load;
  const afterKill = result.answers.filter((a) => a.sentAt > killedAt + 200);
  // The survivor answered after the kill, and answered 200.
  expect(afterKill.filter((a) => a.status === 200).length).toBeGreaterThan(10);
  expect(result.answers.filter((a) => a.status >= 500)).toEqual([]);
  const stored = await storedIds("kill9");
  const lost = result.acknowledged.filter((id) => !stored.has(id));
  console.log(
    `kill -9: ${result.acknowledged.length} acknowledged, ${stored.size} stored, ${lost.length} lost`,
  );
  expect(result.acknowledged.length).toBeGreaterThan(50);
  expect(lost).toEqual([]);
  apps[0] = await startApp(env());
});

test("PostgreSQL crash and restart under load: only 200 or 503, 0 acknowledged lost, back without restarting the app", async () => {
  test.setTimeout(120_000);
  let stop = false;
  const load = sendLoad(
    apps.map((app) => app.url),
    "pgcrash",
    8,
    () => stop,
  );
  await sleep(1_000);
  cluster.stop("immediate");
  await sleep(1_500);
  cluster.start();
  const restartedAt = Date.now();
  // Back by itself: both processes answer 200 again within a few seconds.
  for (const app of apps) {
    await expect
      .poll(async () => (await fetch(`${app.url}/api/health`)).status, { timeout: 30_000 })
      .toBe(200);
  }
  await sleep(1_000);
  stop = true;
  const result = await load;
  const statuses = result.answers.map((a) => a.status);
  expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
  expect(statuses).toContain(503);
  expect(result.answers.filter((a) => a.sentAt > restartedAt + 5_000 && a.status !== 200)).toEqual(
    [],
  );
  const stored = await storedIds("pgcrash");
  const lost = result.acknowledged.filter((id) => !stored.has(id));
  console.log(
    `postgres crash: ${result.acknowledged.length} acknowledged, ${stored.size} stored, ${lost.length} lost`,
  );
  expect(lost).toEqual([]);
});

test("started while PostgreSQL is down: serves 503s, then connects and migrates by itself", async () => {
  test.setTimeout(120_000);
  const fresh = await createPgTestDatabase(cluster.adminUrl, "late");
  cluster.stop("fast");
  const late = await startApp({ ...env(), DATABASE_URL: fresh }, undefined, { healthy: false });
  try {
    expect((await fetch(`${late.url}/api/health`)).status).toBe(503);
    const body = snapshot(`late-${randomUUID()}`, 1);
    const refused = await postDelivery(late.url, "late", randomUUID(), body);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBeTruthy();
    expect((await refused.json()).error.code).toBe("storage_unavailable");
    cluster.start();
    await expect
      .poll(async () => (await fetch(`${late.url}/api/health`)).status, { timeout: 30_000 })
      .toBe(200);
    const accepted = await postDelivery(late.url, "late", randomUUID(), body);
    expect(accepted.status).toBe(200);
  } finally {
    await stopApp(late);
  }
});

test("pages render on PostgreSQL", async ({ page }) => {
  // Older than the load tests' engagements, so found by its words.
  await page.goto(`${apps[1]!.url}/engagements?q=version`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("version 60").first()).toBeVisible();
  await page.goto(`${apps[1]!.url}/deliveries`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});
