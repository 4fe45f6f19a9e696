import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { POST } from "@/app/api/webhooks/morph/route";
import * as schema from "@/db/schema";
import type { AppDatabase } from "@/db/sqlite/client";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import { engagementEvent, webhookRequest } from "../helpers/morph";
import { setUpAppDatabase } from "../helpers/temp-db";

const temp = setUpAppDatabase({ WEBHOOK_ALLOW_UNSIGNED: "1" });
afterAll(() => temp.cleanup());
const app = globalThis as unknown as { appStore?: Store };

async function post(id: string) {
  // A long description needs fresh pages, so a full disk cannot hide in free ones.
  const event = engagementEvent(id, "2025-03-06T10:00:00Z", {
    fields: { description: "x".repeat(200_000) },
  });
  const response = await POST(webhookRequest(event));
  return {
    status: response.status,
    json: await response.json(),
    retryAfter: response.headers.get("retry-after"),
  };
}

describe("a database that cannot take writes", () => {
  it("answers 503 when the disk is full, never 200, and recovers when space returns", async () => {
    const sqlite = temp.db.$client;
    const pages = sqlite.pragma("page_count", { simple: true }) as number;
    sqlite.pragma(`max_page_count = ${pages}`);
    try {
      const full = await post("full-1");
      expect(full.status).toBe(503);
      expect(full.json.error.code).toBe("storage_unavailable");
      expect(full.retryAfter).toBe("5");
      // The database still answers a query; health is 503 as it cannot take writes.
      expect((await health()).status).toBe(503);
    } finally {
      sqlite.pragma("max_page_count = 1073741823");
    }
    // The 503 claims nothing: the refused write is not in the file.
    expect(
      sqlite.prepare("select count(*) n from engagements where external_id = 'full-1'").get(),
    ).toEqual({ n: 0 });
    expect((await post("full-1")).status).toBe(200);
    expect((await health()).status).toBe(200);
  });

  it("answers 503 on a read-only database and recovers when it is writable again", async () => {
    // The app's store on a connection that cannot write (closing it closes the connection).
    const readonly = new Database(temp.file, { readonly: true });
    const readonlyStore = createSqliteStore({
      db: drizzle(readonly, { schema }) as AppDatabase,
      writer: "inline",
      summaries: "inline",
    });
    app.appStore = readonlyStore;
    try {
      const refused = await post("ro-1");
      expect(refused.status).toBe(503);
      expect(refused.json.error.code).toBe("storage_unavailable");
      expect(refused.retryAfter).toBe("5");
    } finally {
      app.appStore = temp.store;
      await readonlyStore.close();
    }
    expect((await post("ro-1")).status).toBe(200);
    const stored = temp.db.$client
      .prepare("select count(*) n from engagements where external_id = 'ro-1'")
      .get();
    expect(stored).toEqual({ n: 1 });
  });
});
