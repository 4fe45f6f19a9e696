import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { expect, test } from "@playwright/test";
import { IDLE_PROBE_MS } from "../../../db/write-health";
import { startApp, stopApp, type RunningApp } from "../../helpers/server";
import { testEngines } from "../../helpers/test-engines";
import { engagementDelivery, postDelivery, sendLoad, sleep } from "./load";
import { mountSmallFilesystem, type SmallFilesystem } from "../../helpers/small-filesystem";

/**
 * Disk full, for real: the app as `npm start` serves it, its SQLite file (with its WAL and shm)
 * on a tmpfs of a few MiB that fills under load. Only 200 or 503 answers; health is 503 while
 * writes fail; every 200 is in the file once space is back; and the same process serves again.
 */
test.skip(!testEngines().includes("sqlite"), "TEST_ENGINES leaves SQLite out");

const OWNER = "diskfull";
const MiB = 1024 * 1024;
let small: SmallFilesystem | null = null;
let app: RunningApp | null = null;

test.afterAll(async () => {
  if (app) await stopApp(app);
  small?.unmount();
});

async function health(url: string) {
  const response = await fetch(`${url}/api/health`);
  const body = await response.json();
  return {
    status: response.status,
    code: body.error?.code,
    retryAfter: response.headers.get("retry-after"),
  };
}

/** The engagements stored for OWNER, and the keys of their applied log rows. */
function stored(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    const ids = (sql: string) => new Set(db.prepare(sql).pluck().all(OWNER) as string[]);
    return {
      engagements: ids("select external_id from engagements where connection_owner_id = ?"),
      applied: ids(
        "select idempotency_key from deliveries where outcome = 'applied' and connection_owner_id = ?",
      ),
    };
  } finally {
    db.close();
  }
}

test("a disk that fills under load: 200 or 503 only, health 503 while full, every 200 kept, back without a restart", async () => {
  test.setTimeout(240_000);
  const mounted = mountSmallFilesystem(16);
  if (!mounted.ok) {
    console.warn(`disk full: not run, ${mounted.reason}`);
    test.skip(true, `not run: ${mounted.reason}`);
  }
  const disk = (small = (mounted as { fs: SmallFilesystem }).fs);
  const file = path.join(disk.dir, "app.db");
  app = await startApp({ DATABASE_URL: file, WEBHOOK_ALLOW_UNSIGNED: "1", APP_ALLOW_PUBLIC: "1" });
  const { url } = app;
  // The WAL and shm sit beside the file, on the small filesystem too.
  expect([fs.existsSync(`${file}-wal`), fs.existsSync(`${file}-shm`)]).toEqual([true, true]);

  // Deliveries sent one at a time beside the load: every answer is kept, every 200 counted.
  const own = { acknowledged: [] as string[], statuses: [] as number[] };
  const post = async () => {
    const { id, body } = engagementDelivery("disk full, one by one");
    const response = await postDelivery(url, OWNER, id, body);
    own.statuses.push(response.status);
    if (response.status === 200) own.acknowledged.push(id);
    return response;
  };

  // Room for the WAL to reach its checkpoint size and wrap; then almost none, under load.
  disk.fillLeaving(8 * MiB);
  let stop = false;
  const filling = sendLoad([url], OWNER, 8, () => stop);
  try {
    await test.step("fill the disk under load", async () => {
      // A checkpoint has copied the WAL into the file: from here on the file must grow too.
      await expect
        .poll(() => fs.statSync(file).size, { timeout: 90_000 })
        .toBeGreaterThan(64 * 1024);
      disk.fillLeaving(256 * 1024);
      // Refused five times in a row: what space the failed writes had taken is used up.
      let refusedInARow = 0;
      await expect
        .poll(async () => (refusedInARow = (await post()).status === 503 ? refusedInARow + 1 : 0), {
          timeout: 60_000,
          intervals: [100],
        })
        .toBe(5);
    });

    await test.step("while full: the webhook and health both answer 503", async () => {
      for (let round = 0; round < 3; round++) {
        const refused = await post();
        expect(refused.status).toBe(503);
        expect(refused.headers.get("retry-after")).toBeTruthy();
        expect((await refused.json()).error).toMatchObject({
          code: "storage_unavailable",
          details: { sqlite: "SQLITE_FULL" },
        });
        expect(await health(url)).toEqual({
          status: 503,
          code: "storage_unavailable",
          retryAfter: "5",
        });
      }
    });
  } finally {
    stop = true;
  }
  const whileFull = await filling;
  console.log(
    `disk full: ${whileFull.acknowledged.length} acknowledged and ${whileFull.answers.filter((a) => a.status === 503).length} refused under load, ${disk.freeBytes()} bytes free`,
  );
  expect(whileFull.acknowledged.length).toBeGreaterThan(20);

  await test.step("idle on a full disk: health's own write fails too", async () => {
    await sleep(IDLE_PROBE_MS + 1_000);
    expect((await health(url)).status).toBe(503);
  });

  const pid = app.process.pid;
  disk.free();
  let afterFree: Awaited<ReturnType<typeof sendLoad>>;
  await test.step("space back: the same process is healthy and takes writes", async () => {
    // Nothing is sent meanwhile: health notices by itself, as behind a load balancer.
    await expect.poll(async () => (await health(url)).status, { timeout: 30_000 }).toBe(200);
    stop = false;
    const again = sendLoad([url], OWNER, 8, () => stop);
    await sleep(2_000);
    stop = true;
    afterFree = await again;
    expect(afterFree.answers.filter((a) => a.status !== 200)).toEqual([]);
    expect(afterFree.acknowledged.length).toBeGreaterThan(20);
    expect((await post()).status).toBe(200);
    expect((await health(url)).status).toBe(200);
    expect([app!.process.pid, app!.process.exitCode]).toEqual([pid, null]);
  });

  const statuses = [...whileFull.answers, ...afterFree!.answers].map((a) => a.status);
  expect([...statuses, ...own.statuses].filter((s) => s !== 200 && s !== 503)).toEqual([]);
  const kept = stored(file);
  const acknowledged = [...whileFull.acknowledged, ...afterFree!.acknowledged, ...own.acknowledged];
  const lost = acknowledged.filter((id) => !kept.engagements.has(id) || !kept.applied.has(id));
  console.log(`space back: ${acknowledged.length} acknowledged in all, ${lost.length} lost`);
  expect(lost).toEqual([]);
});
