import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  ConfigError,
  configProblems,
  databaseTarget,
  setting,
  SETTING_NAMES,
  writerMode,
  type SettingName,
} from "@/lib/config";

const ROOT = path.resolve(import.meta.dirname, "../..");

describe("the configuration schema", () => {
  it("gives every variable its default when the environment is empty", () => {
    const env = {};
    expect(configProblems(env)).toEqual([]);
    expect(setting("PORT", env)).toBe(3000);
    expect(setting("LOG_RETENTION_DAYS", env)).toBe(90);
    expect(setting("APP_SESSION_HOURS", env)).toBe(168);
    expect(setting("CONNECTION_SILENCE_HOURS", env)).toBe(24);
    expect(setting("SUMMARY_BUDGET_MS", env)).toBe(200);
    expect(setting("TRUST_PROXY", env)).toBe(0);
    expect(setting("APP_URL", env)).toBeUndefined();
    expect(setting("API_TOKEN", env)).toBeUndefined();
    expect(setting("APP_ALLOW_PUBLIC", env)).toBe(false);
    expect(setting("WEBHOOK_ALLOW_UNSIGNED", env)).toBe(false);
    expect(databaseTarget(env)).toEqual({
      engine: "sqlite",
      file: path.resolve("./data/app.db"),
    });
  });

  it("takes a blank value as unset", () => {
    const env = { PORT: "", WEBHOOK_SECRET: "   ", APP_ALLOW_PUBLIC: "", TRUST_PROXY: " " };
    expect(configProblems(env)).toEqual([]);
    expect(setting("PORT", env)).toBe(3000);
    expect(setting("WEBHOOK_SECRET", env)).toBeUndefined();
    expect(setting("APP_ALLOW_PUBLIC", env)).toBe(false);
    expect(setting("TRUST_PROXY", env)).toBe(0);
  });

  it.each<[SettingName, string, unknown]>([
    ["PORT", " 8080 ", 8080],
    ["LOG_RETENTION_DAYS", "0.5", 0.5],
    ["APP_SESSION_HOURS", "0.25", 0.25],
    ["CONNECTION_SILENCE_HOURS", "0", 0],
    ["SUMMARY_BUDGET_MS", "50", 50],
    ["TRUST_PROXY", "1", 1],
    ["TRUST_PROXY", "true", 1],
    ["TRUST_PROXY", "2", 2],
    ["TRUST_PROXY", "false", 0],
    ["APP_URL", "https://Viewer.Example.com/", "https://viewer.example.com"],
    ["APP_URL", "http://localhost:3000", "http://localhost:3000"],
    ["APP_ALLOW_PUBLIC", "TRUE", true],
    ["APP_ALLOW_PUBLIC", "0", false],
    ["WEBHOOK_ALLOW_UNSIGNED", "1", true],
    ["INGEST_WRITER", "inline", "inline"],
    ["API_TOKEN", " tok-123 ", "tok-123"],
    [
      "DATABASE_URL",
      "postgres://u:p@db:5432/app",
      { engine: "postgres", url: "postgres://u:p@db:5432/app" },
    ],
    ["DATABASE_URL", "file:./x.db", { engine: "sqlite", file: path.resolve("x.db") }],
  ])("%s=%j reads as %j", (name, value, expected) => {
    const env = { [name]: value };
    expect(configProblems(env)).toEqual([]);
    expect(setting(name, env)).toEqual(expected);
  });

  it.each<[SettingName, string, string]>([
    ["PORT", "abc", "PORT=abc: expected a port from 1 to 65535"],
    ["PORT", "0", "PORT=0: expected a port"],
    ["PORT", "70000", "PORT=70000: expected a port"],
    ["PORT", "80.5", "PORT=80.5: expected a port"],
    ["LOG_RETENTION_DAYS", "-1", "LOG_RETENTION_DAYS=-1: expected a positive number of days"],
    ["LOG_RETENTION_DAYS", "0", "LOG_RETENTION_DAYS=0: expected a positive number"],
    ["LOG_RETENTION_DAYS", "ninety", "LOG_RETENTION_DAYS=ninety: expected a positive number"],
    ["APP_SESSION_HOURS", "0", "APP_SESSION_HOURS=0: expected a positive number of hours"],
    [
      "CONNECTION_SILENCE_HOURS",
      "-1",
      "CONNECTION_SILENCE_HOURS=-1: expected a number of hours, 0 or more",
    ],
    ["SUMMARY_BUDGET_MS", "fast", "SUMMARY_BUDGET_MS=fast: expected a number of milliseconds"],
    ["TRUST_PROXY", "maybe", "TRUST_PROXY=maybe: expected 1 or true behind one proxy"],
    ["TRUST_PROXY", "-1", "TRUST_PROXY=-1: expected 1 or true"],
    [
      "APP_URL",
      "https://viewer.example.com/app",
      "APP_URL=https://viewer.example.com/app: expected an origin",
    ],
    ["APP_URL", "ftp://viewer.example.com", "APP_URL=ftp://viewer.example.com: expected an origin"],
    ["APP_URL", "viewer.example.com", "APP_URL=viewer.example.com: expected an origin"],
    [
      "APP_ALLOW_PUBLIC",
      "sure",
      "APP_ALLOW_PUBLIC=sure: expected 1 or true (on), 0 or false (off)",
    ],
    ["INGEST_WRITER", "thread", "INGEST_WRITER=thread: expected worker or inline"],
    [
      "DATABASE_URL",
      "mysql://root@db/app",
      "DATABASE_URL: expected a SQLite file path (file: allowed) or postgres://",
    ],
    ["DATABASE_URL", "postgres://u:p@db:port/app", "DATABASE_URL: expected a SQLite file path"],
  ])("refuses %s=%j, naming it and what it expects", (name, value, message) => {
    const env = { [name]: value };
    const problems = configProblems(env);
    expect(problems).toHaveLength(1);
    expect(problems[0].startsWith(message)).toBe(true);
    expect(() => setting(name, env)).toThrow(ConfigError);
    expect(() => setting(name, env)).toThrow(message);
  });

  it("says which DATABASE_URL scheme it refused, without printing the URL", () => {
    const [problem] = configProblems({ DATABASE_URL: "mysql://root:hunter2@db/app" });
    expect(problem).toContain('the scheme "mysql:"');
    expect(problem).not.toContain("hunter2");
    const [unparsed] = configProblems({ DATABASE_URL: "postgres://root:hunter2@db:port/app" });
    expect(unparsed).toContain("does not parse");
    expect(unparsed).not.toContain("hunter2");
  });

  it("lists every variable that does not fit, one line each", () => {
    const problems = configProblems({ PORT: "abc", LOG_RETENTION_DAYS: "-1", APP_URL: "x" });
    expect(problems.map((line) => line.split(/[=:]/)[0])).toEqual([
      "PORT",
      "LOG_RETENTION_DAYS",
      "APP_URL",
    ]);
  });

  it("picks the writer from INGEST_WRITER, else from NODE_ENV", () => {
    expect(writerMode({ NODE_ENV: "production" })).toBe("thread");
    expect(writerMode({ NODE_ENV: "test" })).toBe("inline");
    expect(writerMode({ NODE_ENV: "production", INGEST_WRITER: "inline" })).toBe("inline");
    expect(writerMode({ NODE_ENV: "development", INGEST_WRITER: "worker" })).toBe("thread");
  });
});

describe("setting() on the process's own environment", () => {
  const before = process.env.LOG_RETENTION_DAYS;
  afterEach(() => {
    if (before === undefined) delete process.env.LOG_RETENTION_DAYS;
    else process.env.LOG_RETENTION_DAYS = before;
  });

  it("follows a value that changes", () => {
    process.env.LOG_RETENTION_DAYS = "5";
    expect(setting("LOG_RETENTION_DAYS")).toBe(5);
    process.env.LOG_RETENTION_DAYS = "7";
    expect(setting("LOG_RETENTION_DAYS")).toBe(7);
    process.env.LOG_RETENTION_DAYS = "-7";
    expect(() => setting("LOG_RETENTION_DAYS")).toThrow("LOG_RETENTION_DAYS=-7");
    delete process.env.LOG_RETENTION_DAYS;
    expect(setting("LOG_RETENTION_DAYS")).toBe(90);
  });
});

describe(".env.example", () => {
  /** Its `NAME=value` lines, commented-out ones included. */
  const example = Object.fromEntries(
    fs
      .readFileSync(path.join(ROOT, ".env.example"), "utf8")
      .split("\n")
      .map((line) => /^#?\s*([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
      .filter((m) => m !== null)
      .map((m) => [m[1], m[2]]),
  );
  /** Set by Next itself, never by hand. */
  const PLATFORM: SettingName[] = ["NODE_ENV"];

  it("lists every variable of the schema, and no other", () => {
    const expected = SETTING_NAMES.filter((name) => !PLATFORM.includes(name));
    expect(Object.keys(example).sort()).toEqual([...expected].sort());
  });

  it("gives each one its default", () => {
    expect(configProblems(example)).toEqual([]);
    for (const name of Object.keys(example) as SettingName[]) {
      expect(setting(name, example), name).toEqual(setting(name, {}));
    }
  });
});
