import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { POST } from "@/app/api/webhooks/morph/route";
import { createSqliteStore } from "@/db/sqlite/store";
import type { Store } from "@/db/store";
import { IDLE_PROBE_MS } from "@/db/write-health";
import { engagementEvent, webhookRequest } from "../helpers/morph";
import { mountSmallFilesystem } from "../helpers/small-filesystem";
import { pointAppAt } from "../helpers/temp-db";

/**
 * A real full disk (a tmpfs of a few MiB): health is 503 from the first refused write, and its
 * own write, once the app is idle, does not turn it green while the disk is still full, though
 * the refused writes left room in the WAL for a small one. Needs root to mount; else not run.
 */
describe("SQLite on a full disk", () => {
  let mounted: ReturnType<typeof mountSmallFilesystem> | null = null;
  let store: Store | null = null;
  beforeAll(() => {
    mounted = mountSmallFilesystem(8);
    if (mounted.ok)
      store = createSqliteStore({
        file: path.join(mounted.fs.dir, "app.db"),
        writer: "inline",
        summaries: "inline",
      });
  });
  afterAll(async () => {
    await store?.close();
    if (mounted?.ok) mounted.fs.unmount();
  });

  async function post(id: string) {
    // Long descriptions need fresh pages: each refused one leaves WAL space behind.
    const event = engagementEvent(id, "2025-03-06T10:00:00Z", {
      fields: { description: "x".repeat(150_000) },
    });
    return (await POST(webhookRequest(event))).status;
  }
  const healthStatus = async () => (await health()).status;

  it("stays 503 while full, idle or not, and is 200 again once space is back", async (context) => {
    if (!mounted?.ok) {
      console.warn(`SQLite on a full disk: not run, ${mounted?.reason}`);
      return context.skip(mounted?.reason);
    }
    const disk = mounted.fs;
    pointAppAt(store!, path.join(disk.dir, "app.db"), { WEBHOOK_ALLOW_UNSIGNED: "1" });
    expect(await post("before")).toBe(200);
    expect(await healthStatus()).toBe(200);
    disk.fillLeaving(512 * 1024);
    const statuses: number[] = [];
    for (let i = 0; i < 20 && statuses.at(-1) !== 503; i++) statuses.push(await post(`fill-${i}`));
    expect(statuses.at(-1)).toBe(503);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    // Refused again and again, as a sender's retries would be.
    for (let i = 0; i < 5; i++) expect(await post(`full-${i}`)).toBe(503);
    const answer = await health();
    expect(answer.status).toBe(503);
    expect(answer.headers.get("retry-after")).toBe("5");
    expect((await answer.json()).error.code).toBe("storage_unavailable");

    await new Promise((resolve) => setTimeout(resolve, IDLE_PROBE_MS + 200));
    expect(await healthStatus()).toBe(503);

    // Nothing is sent: health's own write, at most one per idle period, sees the space.
    disk.free();
    await vi.waitFor(async () => expect(await healthStatus()).toBe(200), {
      timeout: 3 * IDLE_PROBE_MS,
      interval: 250,
    });
    expect(await post("after")).toBe(200);
    expect(await healthStatus()).toBe(200);
  });
});
