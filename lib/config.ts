import path from "node:path";
import { z } from "zod";

/** Where the data lives: a SQLite file, or a PostgreSQL server. */
export type DatabaseTarget =
  { engine: "sqlite"; file: string } | { engine: "postgres"; url: string };

export class ConfigError extends Error {}

/** An environment: the process's own, or one a test or script builds. */
export type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_DATABASE = "./data/app.db";

/**
 * `DATABASE_URL`: `postgres://…` / `postgresql://…` is a server, anything without a scheme (or
 * `file:`) is a SQLite file. Another scheme, or a server URL that does not parse, is refused.
 */
function toDatabaseTarget(raw: string, ctx: z.RefinementCtx): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(raw)) {
    if (URL.canParse(raw)) return { engine: "postgres", url: raw };
    ctx.addIssue({ code: "custom", message: "the postgres:// URL does not parse" });
    return z.NEVER;
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1];
  if (scheme && scheme.toLowerCase() !== "file") {
    ctx.addIssue({ code: "custom", message: `the scheme "${scheme}:" is neither` });
    return z.NEVER;
  }
  const file = raw.startsWith("file:") ? raw.slice("file:".length) : raw;
  return { engine: "sqlite", file: file === ":memory:" ? file : path.resolve(file) };
}

/** A URL that is only an origin (one that does not parse is z.url()'s to refuse). */
const isOrigin = (raw: string) => {
  if (!URL.canParse(raw)) return true;
  const url = new URL(raw);
  return url.pathname === "/" && !url.search && !url.hash && !url.username && !url.password;
};

/** A flag: on for 1, true, yes or on; off for 0, false, no or off (any case); unset is off. */
const flag = () => z.stringbool().default(false).describe("1 or true (on), 0 or false (off)");
const optionalText = () => z.string().optional();

/**
 * Every environment variable the app reads, and what it must look like. A blank value counts
 * as unset. Each description says what the variable expects, for the message that refuses it.
 */
export const settingsSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000).describe("a port from 1 to 65535"),
  HOSTNAME: optionalText(),
  DATABASE_URL: z
    .string()
    .default(DEFAULT_DATABASE)
    .transform(toDatabaseTarget)
    .describe("a SQLite file path (file: allowed) or postgres://user:password@host:port/database"),
  LOG_RETENTION_DAYS: z.coerce
    .number()
    .positive()
    .default(90)
    .describe("a positive number of days"),
  APP_SESSION_HOURS: z.coerce
    .number()
    .positive()
    .default(168)
    .describe("a positive number of hours (fractions allowed)"),
  CONNECTION_SILENCE_HOURS: z.coerce
    .number()
    .min(0)
    .default(24)
    .describe("a number of hours, 0 or more (0 turns it off)"),
  SUMMARY_BUDGET_MS: z.coerce
    .number()
    .min(0)
    .default(200)
    .describe("a number of milliseconds, 0 or more"),
  TRUST_PROXY: z
    .union([z.stringbool().transform(Number), z.coerce.number().int().min(0)])
    .default(0)
    .describe("1 or true behind one proxy, the number of proxies in front, or 0 or false for none"),
  APP_URL: z
    .url({ protocol: /^https?$/ })
    .refine(isOrigin, "it has a path, query or user part")
    .transform((raw) => new URL(raw).origin)
    .optional()
    .describe("an origin such as https://viewer.example.com (scheme and host, no path)"),
  API_TOKEN: optionalText(),
  APP_PASSWORD: optionalText(),
  APP_ALLOW_PUBLIC: flag(),
  WEBHOOK_SECRET: optionalText(),
  WEBHOOK_ALLOW_UNSIGNED: flag(),
  INGEST_WRITER: z.enum(["worker", "inline"]).optional().describe("worker or inline"),
  NODE_ENV: optionalText(),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingName = keyof Settings;
export const SETTING_NAMES = Object.keys(settingsSchema.shape) as SettingName[];

/** Never echoed in a message: they are credentials, or may carry one. */
const SECRET_SETTINGS: SettingName[] = [
  "API_TOKEN",
  "APP_PASSWORD",
  "WEBHOOK_SECRET",
  "DATABASE_URL",
];

const blankToUnset = (value: string | undefined) => (value?.trim() ? value.trim() : undefined);

function problemOf(name: SettingName, raw: string, error: z.ZodError): string {
  const shown = SECRET_SETTINGS.includes(name) ? name : `${name}=${raw}`;
  const expects = settingsSchema.shape[name].description ?? "another value";
  const custom = error.issues.find((issue) => issue.code === "custom" && issue.message);
  return `${shown}: expected ${expects}${custom ? ` (${custom.message})` : ""}`;
}

function parseSetting<N extends SettingName>(name: N, env: Env) {
  const raw = blankToUnset(env[name]);
  const parsed = settingsSchema.shape[name].safeParse(raw);
  return parsed.success
    ? { ok: true as const, raw, value: parsed.data as Settings[N] }
    : { ok: false as const, raw, problem: problemOf(name, raw ?? "", parsed.error) };
}

const memo = new Map<SettingName, { raw: string | undefined; value: unknown }>();

/**
 * One variable, read through the schema; a value that does not fit throws a ConfigError naming
 * it. The process's own values are parsed again only when they change (tests change them).
 */
export function setting<N extends SettingName>(name: N, env: Env = process.env): Settings[N] {
  const own = env === process.env;
  const known = own ? memo.get(name) : undefined;
  if (known && known.raw === blankToUnset(env[name])) return known.value as Settings[N];
  const parsed = parseSetting(name, env);
  if (!parsed.ok) throw new ConfigError(parsed.problem);
  if (own) memo.set(name, { raw: parsed.raw, value: parsed.value });
  return parsed.value;
}

/** What is wrong with the environment, one line per variable that does not fit (none: `[]`). */
export function configProblems(env: Env = process.env): string[] {
  return SETTING_NAMES.map((name) => parseSetting(name, env))
    .filter((parsed) => !parsed.ok)
    .map((parsed) => (parsed.ok ? "" : parsed.problem));
}

export function databaseTarget(env: Env = process.env): DatabaseTarget {
  return setting("DATABASE_URL", env);
}

/** A PostgreSQL URL with its password masked, for logs and the start banner. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    if (parsed.searchParams.has("password")) parsed.searchParams.set("password", "***");
    return parsed.toString();
  } catch {
    return "postgres://…";
  }
}

export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Who writes deliveries: a thread of their own in production (`next start`), the request's
 * thread elsewhere (tests, `next dev`). INGEST_WRITER=worker|inline overrides the choice.
 */
export function writerMode(env: Env = process.env): "thread" | "inline" {
  const mode =
    setting("INGEST_WRITER", env) ??
    (setting("NODE_ENV", env) === "production" ? "worker" : "inline");
  return mode === "worker" ? "thread" : "inline";
}

/** How long the delivery log keeps raw bodies (`LOG_RETENTION_DAYS`, default 90). */
export function retentionDays(env: Env = process.env): number {
  return setting("LOG_RETENTION_DAYS", env);
}

/** How long a UI session lasts after sign-in (`APP_SESSION_HOURS`, default 168; fractions allowed). */
export function sessionHours(env: Env = process.env): number {
  return setting("APP_SESSION_HOURS", env);
}

/**
 * Hours without a delivery after which a connection is flagged silent
 * (`CONNECTION_SILENCE_HOURS`, default 24, fractions allowed); 0 turns the flag off.
 */
export function connectionSilenceHours(env: Env = process.env): number {
  return setting("CONNECTION_SILENCE_HOURS", env);
}
