import { createHash } from "node:crypto";
import { inspect } from "node:util";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { NextRequest } from "next/server";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { DELETE, GET } from "@/app/api/session/route";
import { POST as signOut } from "@/app/api/session/sign-out/route";
import { createPgStore } from "@/db/pg/store";
import * as schema from "@/db/schema";
import type { AppDatabase } from "@/db/sqlite/client";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import { checkSession } from "@/lib/auth/server-session";
import { proxy } from "@/proxy";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { freePort } from "../helpers/server";

const PASSWORD = "first-password";
const HOUR = 60 * 60 * 1000;
const app = globalThis as unknown as {
  appStore?: Store;
  appSecrets?: unknown;
  signInLimiter?: unknown;
};

const sha256 = (id: string) => createHash("sha256").update(id).digest("base64url");
const idOf = (res: Response) =>
  /^ev_session=([^;]*)/.exec(res.headers.get("set-cookie") ?? "")?.[1] ?? "";
const maxAgeOf = (res: Response) => /Max-Age=(\d+)/.exec(res.headers.get("set-cookie") ?? "")?.[1];

/** Signs in through the real handler (the sign-in link), on whichever store the app uses now. */
async function signIn(password = PASSWORD) {
  const res = await GET(
    new Request(`http://localhost/api/session?token=${encodeURIComponent(password)}`),
  );
  expect(res.status).toBe(303);
  return res;
}

/** The app's proxy, as a process whose store is `store` would run it. */
async function proxyOn(store: Store, id: string, path = "/api/deliveries") {
  const before = app.appStore;
  app.appStore = store;
  try {
    return await proxy(
      new NextRequest(`http://localhost${path}`, { headers: { cookie: `ev_session=${id}` } }),
    );
  } finally {
    app.appStore = before;
  }
}
const passes = (res: Response) => res.headers.get("x-middleware-next") === "1";

function usePassword(password: string) {
  process.env.APP_PASSWORD = password;
  app.appSecrets = undefined;
}

describe.each(testEngines())("sessions kept server-side on %s", (engine) => {
  let temp: EngineStore;
  /** Another connection (SQLite) or pool (PostgreSQL) on the same database: another process. */
  let other: Store;
  beforeAll(async () => {
    temp = await setUpAppStore(engine, { APP_ALLOW_PUBLIC: undefined });
    other =
      engine === "sqlite"
        ? createSqliteStore({ file: temp.location, writer: "inline", summaries: "inline" })
        : createPgStore({ url: temp.location, poolSize: 2 });
  });
  afterAll(async () => {
    await other.close();
    await temp.cleanup();
    delete process.env.APP_SESSION_HOURS;
  });
  beforeEach(() => {
    app.appStore = temp.store;
    app.signInLimiter = undefined;
    delete process.env.APP_SESSION_HOURS;
    usePassword(PASSWORD);
  });
  afterEach(() => vi.useRealTimers());

  const row = (id: string) =>
    temp.one(
      "select created_at as c, expires_at as e, password_tag as t from sessions where id_hash = ?",
      sha256(id),
    );

  it("works on another process at once, and a sign-out there ends it on both", async () => {
    const id = idOf(await signIn());
    expect(await checkSession(id, { store: other })).toBe(true);
    expect(passes(await proxyOn(other, id))).toBe(true);
    expect(passes(await proxyOn(temp.store, id, "/deliveries"))).toBe(true);

    // Signed out through the other process's handler.
    app.appStore = other;
    const res = await signOut(
      new Request("http://localhost/api/session/sign-out", {
        method: "POST",
        headers: { cookie: `ev_session=${id}` },
      }),
    );
    expect(res.status).toBe(303);
    expect(await row(id)).toBeUndefined();
    expect((await proxyOn(temp.store, id)).status).toBe(401);
    expect((await proxyOn(other, id)).status).toBe(401);
    expect((await proxyOn(temp.store, id, "/deliveries")).status).toBe(307);
  });

  it("DELETE /api/session ends only the session it was sent with", async () => {
    const [mine, yours] = [idOf(await signIn()), idOf(await signIn())];
    const res = await DELETE(
      new Request("http://localhost/api/session", {
        method: "DELETE",
        headers: { cookie: `ev_session=${mine}` },
      }),
    );
    expect(res.status).toBe(204);
    expect(await checkSession(mine, { store: other })).toBe(false);
    expect(await checkSession(yours, { store: other })).toBe(true);
  });

  it("gives each sign-in a random id, not derived from the password; the table keeps its hash", async () => {
    const ids = [idOf(await signIn()), idOf(await signIn())];
    expect(ids[0]).toMatch(/^[\w-]{43}$/);
    expect(ids[1]).not.toBe(ids[0]);
    for (const id of ids) {
      expect(id).not.toContain(PASSWORD);
      expect(await row(id)).toBeDefined();
      expect(await temp.one("select 1 as found from sessions where id_hash = ?", id)).toBe(
        undefined,
      );
    }
    const tag = String((await row(ids[0]))!.t);
    expect(tag).not.toContain(PASSWORD);
    expect(tag).not.toBe(sha256(PASSWORD));
    expect((await row(ids[1]))!.t).toBe(tag);
  });

  it("lasts 168 hours by default: the cookie's Max-Age and the row's expiry agree", async () => {
    const res = await signIn();
    expect(maxAgeOf(res)).toBe(String(168 * 3600));
    const { c, e } = (await row(idOf(res)))!;
    expect(Number(e) - Number(c)).toBe(168 * HOUR);
  });

  it("expires APP_SESSION_HOURS after sign-in (fractions allowed), by the clock", async () => {
    process.env.APP_SESSION_HOURS = "0.5";
    const res = await signIn();
    expect(maxAgeOf(res)).toBe("1800");
    const id = idOf(res);
    const created = Number((await row(id))!.c);
    expect(Number((await row(id))!.e)).toBe(created + HOUR / 2);

    expect(await checkSession(id, { store: other, now: created + HOUR / 2 - 1 })).toBe(true);
    expect(await checkSession(id, { store: other, now: created + HOUR / 2 })).toBe(false);
    // The proxy reads the real clock: moved past the expiry, it refuses.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(created + HOUR / 2 + 1);
    expect((await proxyOn(other, id)).status).toBe(401);
    expect((await proxyOn(temp.store, id, "/deliveries")).status).toBe(307);
  });

  it("refuses a session older than a lowered APP_SESSION_HOURS", async () => {
    const id = idOf(await signIn());
    const created = Number((await row(id))!.c);
    process.env.APP_SESSION_HOURS = "1";
    expect(await checkSession(id, { now: created + HOUR - 1 })).toBe(true);
    expect(await checkSession(id, { now: created + HOUR })).toBe(false);
  });

  it("refuses every session made under another APP_PASSWORD, and does not revive them", async () => {
    const old = idOf(await signIn());
    usePassword("second-password");
    expect((await proxyOn(temp.store, old)).status).toBe(401);
    expect((await proxyOn(other, old, "/deliveries")).status).toBe(307);
    // The old password opens nothing any more; the new one does.
    expect(idOf(await signIn(PASSWORD))).toBe("");
    const fresh = idOf(await signIn("second-password"));
    expect(passes(await proxyOn(other, fresh))).toBe(true);
    // Back to the first password: the refused session stays ended.
    usePassword(PASSWORD);
    expect(await row(old)).toBeUndefined();
    expect(await checkSession(old)).toBe(false);
  });

  it("prunes only expired sessions, and sign-in prunes them too", async () => {
    await other.pruneSessions(Number.MAX_SAFE_INTEGER);
    const now = Date.now();
    let n = 0;
    const made = async (expiresAt: number) => {
      const id = `prune-${engine}-${++n}`;
      await temp.store.createSession({
        idHash: sha256(id),
        createdAt: expiresAt - HOUR,
        expiresAt,
        passwordTag: "tag",
      });
      return id;
    };
    const expired = [await made(now - HOUR), await made(now)];
    const live = [await made(now + 1), await made(now + HOUR)];
    expect(await temp.one("select count(*) as n from sessions")).toEqual({ n: 4 });

    expect(await other.pruneSessions(now)).toEqual({ pruned: 2 });
    for (const id of expired) expect(await row(id)).toBeUndefined();
    for (const id of live) expect(await row(id)).toBeDefined();
    expect(await other.pruneSessions(now)).toEqual({ pruned: 0 });

    const stale = await made(Date.now() - 1);
    const later = await made(Date.now() + HOUR);
    const signedIn = idOf(await signIn());
    expect(await row(stale)).toBeUndefined();
    for (const id of [later, signedIn]) expect(await row(id)).toBeDefined();
  });
});

describe.runIf(testEngines().includes("sqlite"))("sessions on a read-only SQLite database", () => {
  let temp: EngineStore;
  let readonly: Store;
  beforeAll(async () => {
    temp = await setUpAppStore("sqlite", { APP_ALLOW_PUBLIC: undefined });
    usePassword(PASSWORD);
    readonly = createSqliteStore({
      db: drizzle(new Database(temp.location, { readonly: true }), { schema }) as AppDatabase,
      writer: "inline",
      summaries: "inline",
    });
  });
  afterAll(async () => {
    await readonly.close();
    await temp.cleanup();
  });

  it("signing in answers 503 with no cookie, signing out 503, and no id is logged", async () => {
    app.appStore = temp.store;
    const id = idOf(await signIn());
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      app.appStore = readonly;
      const refused = await GET(new Request(`http://localhost/api/session?token=${PASSWORD}`));
      expect(refused.status).toBe(503);
      expect(refused.headers.get("set-cookie")).toBeNull();
      expect(refused.headers.get("retry-after")).toBe("5");

      const out = await DELETE(
        new Request("http://localhost/api/session", {
          method: "DELETE",
          headers: { cookie: `ev_session=${id}` },
        }),
      );
      expect(out.status).toBe(503);
      expect((await out.json()).error.code).toBe("storage_unavailable");
      expect(out.headers.get("set-cookie")).toBeNull();
      // Reading still works: the session was not ended, and still opens the app.
      expect(passes(await proxyOn(readonly, id))).toBe(true);
      expect(logged).toHaveBeenCalled();
      expect(inspect(logged.mock.calls, { depth: 8 })).not.toContain(id);
    } finally {
      logged.mockRestore();
      app.appStore = temp.store;
    }
  });
});

describe.runIf(testEngines().includes("postgres"))("sessions while PostgreSQL is down", () => {
  let nowhere: Store;
  beforeAll(async () => {
    nowhere = createPgStore({
      url: `postgres://app@127.0.0.1:${await freePort()}/app`,
      poolSize: 1,
    });
    usePassword(PASSWORD);
  });
  afterAll(() => nowhere.close());

  it("a session cannot be checked: pages and the API answer 503, never a redirect", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    const id = "B".repeat(43);
    try {
      const page = await proxyOn(nowhere, id, "/deliveries");
      expect(page.status).toBe(503);
      expect(page.headers.get("location")).toBeNull();
      expect(page.headers.get("content-type")).toContain("text/html");
      const api = await proxyOn(nowhere, id);
      expect(api.status).toBe(503);
      expect((await api.json()).error.code).toBe("storage_unavailable");

      app.appStore = nowhere;
      const signedIn = await GET(new Request(`http://localhost/api/session?token=${PASSWORD}`));
      expect(signedIn.status).toBe(503);
      expect(signedIn.headers.get("set-cookie")).toBeNull();
      expect(inspect(logged.mock.calls, { depth: 8 })).not.toContain(id);
    } finally {
      logged.mockRestore();
      app.appStore = undefined;
    }
  });
});
