import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveSecret } from "@/lib/auth/secrets";
import { authenticateBeforeBody } from "@/lib/auth/webhook";
import { createPgStore } from "@/db/pg/store";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";

describe.each(testEngines())("generated webhook secret on %s", (engine) => {
  let opened: EngineStore;
  beforeAll(async () => {
    opened = await openEngineStore(engine);
  });
  afterAll(() => opened.cleanup());

  it("is generated at first start and the same one is found after", async () => {
    const first = await resolveSecret("webhook-secret", undefined, opened.store);
    expect(first.source).toBe("generated");
    expect(first.value).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    const again = await resolveSecret("webhook-secret", undefined, opened.store);
    expect(again).toMatchObject({ source: "stored", value: first.value });
    expect(await opened.store.readSetting("webhook-secret")).toBe(first.value);
  });

  it("WEBHOOK_SECRET wins over the kept one", async () => {
    expect(await resolveSecret("webhook-secret", "from-env", opened.store)).toMatchObject({
      source: "env",
      value: "from-env",
    });
  });

  it("the generated secret authenticates the token on the webhook URL", async () => {
    const { value } = await resolveSecret("webhook-secret", undefined, opened.store);
    const request = (query: string) =>
      new Request(`http://localhost/api/webhooks/morph${query}`, { method: "POST" });
    expect(authenticateBeforeBody(request(`?token=${encodeURIComponent(value)}`), value)).toEqual({
      state: "accepted",
      method: "token",
    });
    expect(authenticateBeforeBody(request("?token=guess"), value).state).toBe("refused");
  });

  it("processes starting together agree on one password", async () => {
    // On PostgreSQL each store is its own pool, as two app processes would have.
    const others =
      engine === "postgres"
        ? [0, 1, 2].map(() => createPgStore({ url: opened.location, poolSize: 1 }))
        : [opened.store];
    const resolved = await Promise.all(
      others.flatMap((store) => [0, 1].map(() => resolveSecret("app-password", "", store))),
    );
    expect(new Set(resolved.map((r) => r.value)).size).toBe(1);
    expect(resolved.filter((r) => r.source === "generated").length).toBe(1);
    if (engine === "postgres") await Promise.all(others.map((store) => store.close()));
  });
});

describe.runIf(testEngines().includes("sqlite"))("on SQLite, beside the database file", () => {
  it("owner-only, in the database's folder", async () => {
    const opened = await openEngineStore("sqlite");
    try {
      const { where } = await resolveSecret("webhook-secret", undefined, opened.store);
      expect(where).toBe(path.join(path.dirname(opened.location), "webhook-secret"));
      expect(fs.statSync(where!).mode & 0o777).toBe(0o600);
    } finally {
      await opened.cleanup();
    }
  });
});
