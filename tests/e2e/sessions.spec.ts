import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createPgTestDatabase, startPgCluster, type PgCluster } from "../../scripts/lib/pg-cluster";
import { startApp, stopApp, type RunningApp } from "../helpers/server";
import { testEngines } from "../helpers/test-engines";

/** Sessions across two app processes on one database, as behind a load balancer. */
test.describe.configure({ mode: "serial" });

const PASSWORD = "sessions-spec-password";

/** `ev_session=<id>` from a sign-in through the link printed at start, and the cookie's Max-Age. */
async function signIn(app: RunningApp, password = PASSWORD) {
  const res = await fetch(`${app.url}/api/session?token=${encodeURIComponent(password)}`, {
    redirect: "manual",
  });
  expect(res.status).toBe(303);
  const header = res.headers.get("set-cookie") ?? "";
  return { cookie: header.split(";")[0], maxAge: /Max-Age=(\d+)/.exec(header)?.[1] };
}

const readApi = (app: RunningApp, cookie: string) =>
  fetch(`${app.url}/api/deliveries?limit=1`, { headers: { cookie } }).then((r) => r.status);
const page = (app: RunningApp, cookie: string) =>
  fetch(`${app.url}/deliveries`, { headers: { cookie }, redirect: "manual" }).then((r) => r.status);

for (const engine of testEngines()) {
  test.describe(`two processes on ${engine}`, () => {
    let cluster: PgCluster | null = null;
    let dir: string;
    let databaseUrl: string;
    let apps: RunningApp[] = [];
    const env = (password = PASSWORD) => ({
      DATABASE_URL: databaseUrl,
      APP_PASSWORD: password,
      APP_SESSION_HOURS: "0.25",
    });

    test.beforeAll(async () => {
      test.setTimeout(180_000);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-sessions-"));
      if (engine === "postgres") {
        cluster = await startPgCluster();
        databaseUrl = await createPgTestDatabase(cluster.adminUrl, "app");
      } else {
        databaseUrl = path.join(dir, "app.db");
      }
      apps = [await startApp(env()), await startApp(env())];
    });

    test.afterAll(async () => {
      await Promise.all(apps.map((app) => stopApp(app)));
      cluster?.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    test("a session made on one works on the other; signing out on one ends it on both", async () => {
      const [a, b] = apps;
      const { cookie, maxAge } = await signIn(a);
      expect(maxAge).toBe("900");
      expect(await readApi(b, cookie)).toBe(200);
      expect(await page(b, cookie)).toBe(200);
      const other = (await signIn(b)).cookie;
      expect(other).not.toBe(cookie);

      const out = await fetch(`${b.url}/api/session/sign-out`, {
        method: "POST",
        headers: { cookie, origin: b.url },
        redirect: "manual",
      });
      expect(out.status).toBe(303);
      expect(await readApi(a, cookie)).toBe(401);
      expect(await readApi(b, cookie)).toBe(401);
      expect(await page(a, cookie)).toBe(307);
      // Only that session ended.
      expect(await readApi(a, other)).toBe(200);
    });

    test("restarted under a new APP_PASSWORD, the sessions made under the old one are refused", async () => {
      test.setTimeout(120_000);
      const { cookie } = await signIn(apps[0]);
      await Promise.all(apps.map((app) => stopApp(app)));
      apps = [await startApp(env("a-new-password"))];
      expect(await readApi(apps[0], cookie)).toBe(401);
      expect((await signIn(apps[0])).cookie).toBe("");
      const fresh = (await signIn(apps[0], "a-new-password")).cookie;
      expect(await readApi(apps[0], fresh)).toBe(200);
    });
  });
}
