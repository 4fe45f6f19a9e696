import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveSecret } from "@/lib/auth/secrets";
import { authenticateBeforeBody } from "@/lib/auth/webhook";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engagements-secret-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("generated webhook secret", () => {
  const databasePath = path.join(dir, "app.db");

  it("is created beside the database at first start, owner-only, and reused after", () => {
    const first = resolveSecret("webhook-secret", undefined, databasePath);
    expect(first.source).toBe("generated");
    expect(first.file).toBe(path.join(dir, "webhook-secret"));
    expect(first.value).toMatch(/^whsec_[A-Za-z0-9]{32}$/);
    expect(fs.statSync(first.file).mode & 0o777).toBe(0o600);

    const again = resolveSecret("webhook-secret", undefined, databasePath);
    expect(again).toMatchObject({ source: "file", value: first.value });
  });

  it("WEBHOOK_SECRET wins over the file", () => {
    expect(resolveSecret("webhook-secret", "from-env", databasePath)).toMatchObject({
      source: "env",
      value: "from-env",
    });
  });

  it("the generated secret authenticates the token on the webhook URL", () => {
    const { value } = resolveSecret("webhook-secret", undefined, databasePath);
    const request = (query: string) =>
      new Request(`http://localhost/api/webhooks/morph${query}`, { method: "POST" });
    expect(authenticateBeforeBody(request(`?token=${encodeURIComponent(value)}`), value)).toEqual({
      state: "accepted",
      method: "token",
    });
    expect(authenticateBeforeBody(request("?token=guess"), value).state).toBe("refused");
  });
});
