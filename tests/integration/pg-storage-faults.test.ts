import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { POST } from "@/app/api/webhooks/morph/route";
import { StorageUnavailableError } from "@/db/errors";
import { createPgStore } from "@/db/pg/store";
import type { Store } from "@/db/store";
import {
  createPgTestDatabase,
  freePort,
  startPgCluster,
  type PgCluster,
} from "@/scripts/lib/pg-cluster";
import { engagementEvent, webhookRequest } from "../helpers/morph";
import { testEngines } from "../helpers/test-engines";

/**
 * PostgreSQL that cannot take the request (stopped, read-only, never started): 503 with
 * Retry-After and nothing claimed, then back by itself. A cluster of its own, since it is stopped.
 */
describe.runIf(testEngines().includes("postgres"))("PostgreSQL storage faults", () => {
  let cluster: PgCluster;
  let url: string;
  let store: Store;
  const app = globalThis as unknown as { appStore?: Store; appSecrets?: unknown };

  beforeAll(async () => {
    cluster = await startPgCluster();
    url = await createPgTestDatabase(cluster.adminUrl, "faults");
    store = createPgStore({ url, poolSize: 2 });
    app.appStore = store;
    app.appSecrets = undefined;
    process.env.WEBHOOK_ALLOW_UNSIGNED = "1";
    await store.checkHealth();
  });
  afterAll(async () => {
    await store.close();
    cluster.destroy();
  });

  async function post(id: string) {
    const response = await POST(webhookRequest(engagementEvent(id, "2025-03-06T10:00:00Z")));
    return {
      status: response.status,
      json: await response.json(),
      retryAfter: response.headers.get("retry-after"),
    };
  }

  async function storedCount(externalId: string) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "select count(*)::int n from engagements where external_id = $1",
        [externalId],
      );
      return rows[0].n as number;
    } finally {
      await client.end();
    }
  }

  it("answers 503 while the server is down, and serves again once it is back, without a restart", async () => {
    expect((await post("before-stop")).status).toBe(200);
    cluster.stop("fast");
    try {
      const refused = await post("while-down");
      expect(refused.status).toBe(503);
      expect(refused.json.error.code).toBe("storage_unavailable");
      expect(refused.retryAfter).toBe("5");
      expect((await health()).status).toBe(503);
      await expect(store.hasAnyEngagement()).rejects.toBeInstanceOf(StorageUnavailableError);
    } finally {
      cluster.start();
    }
    await vi.waitFor(async () => expect((await post("while-down")).status).toBe(200), {
      timeout: 20_000,
      interval: 250,
    });
    expect((await health()).status).toBe(200);
    // The 503 claimed nothing: the retry applied it once.
    expect(await storedCount("while-down")).toBe(1);
  });

  it("answers 503 on a read-only database and applies the retry once it is writable", async () => {
    const admin = new pg.Client({ connectionString: cluster.adminUrl });
    await admin.connect();
    const reconnect = () =>
      admin.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = 'faults' and pid <> pg_backend_pid()",
      );
    try {
      await admin.query("alter database faults set default_transaction_read_only = on");
      await reconnect();
      await vi.waitFor(async () => expect((await post("read-only")).status).toBe(503), {
        timeout: 10_000,
      });
      expect(await storedCount("read-only")).toBe(0);
      // It still answers a query; health is 503 as it cannot take writes.
      expect((await health()).status).toBe(503);
      await admin.query("alter database faults set default_transaction_read_only = off");
      await reconnect();
      await vi.waitFor(async () => expect((await post("read-only")).status).toBe(200), {
        timeout: 10_000,
      });
      expect(await storedCount("read-only")).toBe(1);
      expect((await health()).status).toBe(200);
    } finally {
      await admin.query("alter database faults reset default_transaction_read_only");
      await admin.end();
    }
  });

  it("a store whose server never started answers 503 and names no password", async () => {
    const nowhere = `postgres://app:s3cret-pass@127.0.0.1:${await freePort()}/app`;
    const orphan = createPgStore({ url: nowhere, poolSize: 1 });
    try {
      await expect(orphan.checkHealth()).rejects.toBeInstanceOf(StorageUnavailableError);
      await expect(orphan.hasAnyEngagement()).rejects.toBeInstanceOf(StorageUnavailableError);
      expect(orphan.describe()).not.toContain("s3cret-pass");
      expect(orphan.describe()).toContain("127.0.0.1");
    } finally {
      await orphan.close();
    }
  });
});
