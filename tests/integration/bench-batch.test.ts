import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { applyInOneTransaction, createBatcher, MAX_GROUP } from "@/scripts/lib/batch";

let sqlite: Database.Database;
beforeEach(() => {
  sqlite = new Database(":memory:");
  sqlite.exec("CREATE TABLE items (value TEXT NOT NULL)");
});
afterEach(() => sqlite.close());

const stored = () => sqlite.prepare("SELECT value FROM items ORDER BY rowid").pluck().all();

describe("the benchmark's group commit", () => {
  it("rolls back only the item that throws, and answers its error", () => {
    const insert = sqlite.prepare("INSERT INTO items (value) VALUES (?)");
    const statements: string[] = [];
    const answers = applyInOneTransaction(sqlite, ["a", "bad", "c"], (value) => {
      statements.push(value);
      insert.run(value);
      if (value === "bad") {
        throw Object.assign(new Error("refused"), { status: 422, code: "invalid" });
      }
      return value.toUpperCase();
    });
    expect(answers).toEqual([
      { ok: true, result: "A" },
      { ok: false, error: { status: 422, code: "invalid", message: "refused" } },
      { ok: true, result: "C" },
    ]);
    expect(statements).toEqual(["a", "bad", "c"]);
    expect(stored()).toEqual(["a", "c"]);
  });

  it("answers every item with the failure when the transaction cannot begin", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-batch-"));
    const file = path.join(dir, "app.db");
    const mine = new Database(file, { timeout: 0 });
    const other = new Database(file);
    try {
      mine.exec("CREATE TABLE items (value TEXT NOT NULL)");
      other.exec("BEGIN IMMEDIATE");
      vi.spyOn(console, "error").mockImplementation(() => {});
      const answers = applyInOneTransaction(mine, ["a", "b"], (value) => {
        mine.prepare("INSERT INTO items (value) VALUES (?)").run(value);
        return value;
      });
      expect(answers.map((a) => a.ok || a.error.status)).toEqual([500, 500]);
      other.exec("ROLLBACK");
      expect(mine.prepare("SELECT count(*) FROM items").pluck().get()).toBe(0);
    } finally {
      vi.restoreAllMocks();
      mine.close();
      other.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("applies what is submitted in one turn as one group, at most MAX_GROUP at a time", async () => {
    const groups: number[][] = [];
    const submit = createBatcher<number, number>((items) => {
      groups.push(items);
      return items.map((n) => ({ ok: true, result: n * 2 }));
    });
    const first = await Promise.all(Array.from({ length: MAX_GROUP + 5 }, (_, i) => submit(i)));
    const later = await submit(1000);
    expect(groups.map((g) => g.length)).toEqual([MAX_GROUP, 5, 1]);
    expect(first.map((a) => a.ok && a.result)).toEqual(
      Array.from({ length: MAX_GROUP + 5 }, (_, i) => i * 2),
    );
    expect(later).toEqual({ ok: true, result: 2000 });
  });
});
