import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SETTING_NAMES } from "@/lib/config";
import {
  DEFAULT_LIMIT,
  DELETED_MODES,
  MAX_LIMIT,
  MULTI_KEYS,
  parseDeliveryFilter,
  parseFilter,
  REF_FILTER_KEYS,
  SORTS,
} from "@/lib/filters";

/**
 * docs/api.md against the code: its parameter tables against the filter parsers, its status and
 * error codes against every HttpError the source throws, its environment variables against every
 * one the source reads, its routes and pages against app/. The code side is read from the
 * exported parsers or from the source text, so moving files around does not break it.
 */

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOC = fs.readFileSync(path.join(ROOT, "docs/api.md"), "utf8");

type Table = { heading: string; header: string[]; rows: string[][] };

function cells(line: string): string[] {
  return line
    .replace(/^\|/, "")
    .replace(/\|$/, "")
    .split("|")
    .map((cell) => cell.trim());
}

function tablesOf(markdown: string): Table[] {
  const lines = markdown.split("\n");
  const tables: Table[] = [];
  let heading = "";
  let inCode = false;
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].startsWith("```")) inCode = !inCode;
    if (inCode) continue;
    if (/^#+ /.test(lines[i])) heading = lines[i].replace(/^#+ /, "").trim();
    if (lines[i].startsWith("|") && /^\|[\s:|-]+\|$/.test(lines[i + 1] ?? "")) {
      const table: Table = { heading, header: cells(lines[i]), rows: [] };
      for (i += 2; lines[i]?.startsWith("|"); i++) table.rows.push(cells(lines[i]));
      tables.push(table);
    }
  }
  return tables;
}

const TABLES = tablesOf(DOC);

function tableUnder(heading: string, index = 0): Table {
  const found = TABLES.filter((t) => t.heading === heading)[index];
  if (!found) throw new Error(`docs/api.md has no table ${index + 1} under "${heading}"`);
  return found;
}

/** The `code` spans of a cell. */
const ticked = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);

/** A table's rows keyed by the one `name` in their first cell. */
function rowsByName(table: Table): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  for (const row of table.rows) {
    const [name] = ticked(row[0]);
    if (!name) throw new Error(`a row under "${table.heading}" names nothing: ${row.join(" | ")}`);
    if (rows.has(name)) throw new Error(`"${name}" is twice under "${table.heading}"`);
    rows.set(name, row);
  }
  return rows;
}

function sourceFiles(...entries: string[]): string[] {
  const files: string[] = [];
  const visit = (full: string) => {
    const stat = fs.statSync(full, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const child of fs.readdirSync(full)) {
        if (child !== "node_modules" && !child.startsWith(".")) visit(path.join(full, child));
      }
    } else if (/\.(ts|tsx|mjs|js)$/.test(full)) {
      files.push(full);
    }
  };
  for (const entry of entries) visit(path.join(ROOT, entry));
  return files;
}

const read = (file: string) => fs.readFileSync(file, "utf8");
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const sameValue = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The fields of a parsed filter that differ from the filter of an empty query. */
function changedFields(parse: (p: URLSearchParams) => object, name: string, value: string) {
  const empty = parse(new URLSearchParams()) as Record<string, unknown>;
  const parsed = parse(new URLSearchParams({ [name]: value })) as Record<string, unknown>;
  return Object.keys(parsed).filter((key) => !sameValue(parsed[key], empty[key]));
}

describe("docs/api.md: GET /api/engagements", () => {
  const rows = rowsByName(tableUnder("`GET /api/engagements`"));
  const filterKeys = Object.keys(parseFilter(new URLSearchParams()));
  /** Read by the route itself, not by the filter. */
  const ROUTE_PARAMS = ["format"];

  it("documents exactly the parameters parseFilter reads, and format", () => {
    expect(filterKeys).toEqual(expect.arrayContaining([...REF_FILTER_KEYS, ...MULTI_KEYS]));
    expect(sorted(rows.keys())).toEqual(sorted([...filterKeys, ...ROUTE_PARAMS]));
    const source = sourceFiles("app", "lib").map(read).join("\n");
    for (const name of ROUTE_PARAMS) expect(source).toMatch(new RegExp(`["']${name}["']`));
  });

  it("each documented example sets the filter field of the same name, and only it", () => {
    for (const key of filterKeys) {
      const [example] = ticked(rows.get(key)?.[1] ?? "");
      expect(example, `an example for ${key}`).toBeTruthy();
      expect(changedFields(parseFilter, key, example), `${key}=${example}`).toEqual([key]);
    }
  });

  it("names every value of the enumerated parameters and the page size's bounds", () => {
    expect(sorted(ticked(rows.get("deleted")![2]))).toEqual(sorted(DELETED_MODES));
    expect(sorted(ticked(rows.get("sort")![2]))).toEqual(sorted(SORTS));
    const limit = rows.get("limit")![2];
    expect(limit).toContain(`default ${DEFAULT_LIMIT}`);
    expect(limit).toContain(`at most ${MAX_LIMIT}`);
    expect(parseFilter(new URLSearchParams({ limit: String(MAX_LIMIT + 1) })).limit).toBe(
      MAX_LIMIT,
    );
  });
});

describe("docs/api.md: GET /api/deliveries", () => {
  const rows = rowsByName(tableUnder("`GET /api/deliveries`"));
  const filterKeys = Object.keys(parseDeliveryFilter(new URLSearchParams()));

  it("documents exactly the parameters parseDeliveryFilter reads", () => {
    expect(sorted(rows.keys())).toEqual(sorted(filterKeys));
  });

  it("each documented example sets the filter field of the same name, and only it", () => {
    for (const key of filterKeys) {
      const [example] = ticked(rows.get(key)![1]);
      expect(changedFields(parseDeliveryFilter, key, example), `${key}=${example}`).toEqual([key]);
    }
  });

  it("lists every delivery outcome, each of which the filter takes", () => {
    const declared = sourceFiles("db", "lib")
      .map(read)
      .map((text) => /DELIVERY_OUTCOMES\s*=\s*\[([^\]]*)\]/.exec(text)?.[1])
      .find(Boolean);
    expect(declared, "DELIVERY_OUTCOMES declared under db/ or lib/").toBeTruthy();
    const outcomes = [...declared!.matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    const documented = ticked(rows.get("outcome")![2]);
    expect(sorted(documented)).toEqual(sorted(outcomes));
    expect(
      parseDeliveryFilter(new URLSearchParams({ outcome: documented.join(",") })).outcome,
    ).toEqual(documented);
    expect(parseDeliveryFilter(new URLSearchParams({ outcome: "delivered" })).outcome).toEqual([]);
  });

  it("gives the page size's bounds", () => {
    const limit = rows.get("limit")![2];
    expect(limit).toContain(`default ${DEFAULT_LIMIT}`);
    expect(limit).toContain(`at most ${MAX_LIMIT}`);
  });
});

describe("docs/api.md: status and error codes", () => {
  /** Every (status, code) the source answers with: HttpErrors and the few literal error bodies. */
  const thrown = new Set<string>();
  for (const text of sourceFiles("app", "lib", "db", "proxy.ts").map(read)) {
    for (const m of text.matchAll(/new HttpError\(\s*(\d{3}),\s*"([a-z_]+)"/g))
      thrown.add(`${m[1]} ${m[2]}`);
    for (const m of text.matchAll(/\bstatus:\s*(\d{3}),\s*code:\s*"([a-z_]+)"/g))
      thrown.add(`${m[1]} ${m[2]}`);
    for (const m of text.matchAll(
      /\berror:\s*\{\s*code:\s*"([a-z_]+)"[^]{0,200}?status:\s*(\d{3})/g,
    ))
      thrown.add(`${m[2]} ${m[1]}`);
  }

  function documentedIn(table: Table): string[] {
    const status = table.header.indexOf("status");
    const code = table.header.indexOf("code");
    return table.rows
      .filter((row) => ticked(row[code]).length > 0)
      .map((row) => `${row[status]} ${ticked(row[code])[0]}`);
  }

  it("finds the codes in the source", () => {
    expect(thrown.size).toBeGreaterThan(10);
  });

  it("the error code table holds exactly the codes the source answers with, with their status", () => {
    expect(sorted(documentedIn(tableUnder("Error codes")))).toEqual(sorted(thrown));
  });

  it("every status and code named anywhere in the doc is one the source answers with", () => {
    const named = TABLES.filter((t) => t.header.includes("status") && t.header.includes("code"))
      .flatMap(documentedIn)
      .concat(
        [...DOC.matchAll(/`(\d{3})\s+([a-z_]+)`/g)].map((m) => `${m[1]} ${m[2]}`),
        [...DOC.matchAll(/\b(\d{3})\s+`([a-z_]+)`/g)].map((m) => `${m[1]} ${m[2]}`),
      );
    expect(named.length).toBeGreaterThan(thrown.size);
    expect(named.filter((pair) => !thrown.has(pair))).toEqual([]);
  });
});

/** Environment variables a set of files reads: `process.env.X`, `env.X`, `env["X"]`, `{ X } = process.env`. */
function envRead(files: string[]): string[] {
  const names: string[] = [];
  for (const text of files.map(read)) {
    for (const m of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]*)\b/g)) names.push(m[1]);
    for (const m of text.matchAll(/\benv\[\s*["'`]([A-Z][A-Z0-9_]*)["'`]\s*\]/g)) names.push(m[1]);
    for (const m of text.matchAll(/\{([^}]*)\}\s*=\s*process\.env\b/g)) {
      names.push(...(m[1].match(/\b[A-Z][A-Z0-9_]*\b/g) ?? []));
    }
  }
  return sorted(names);
}

describe("docs/api.md: environment variables", () => {
  const app = rowsByName(tableUnder("Environment variables"));
  const forTests = rowsByName(tableUnder("In the tests"));
  const appSource = sourceFiles(
    "app",
    "lib",
    "db",
    "scripts",
    "proxy.ts",
    "instrumentation.ts",
    "next.config.ts",
    "drizzle.config.ts",
  );

  /** Read through lib/config.ts's schema, or directly (tooling, and what Next itself sets). */
  const appReads = () => sorted([...envRead(appSource), ...SETTING_NAMES]);

  it("documents exactly the variables the app and its scripts read", () => {
    const read = appReads();
    expect(read).toEqual(expect.arrayContaining(["DATABASE_URL", "PORT", "WEBHOOK_SECRET"]));
    expect(sorted(app.keys())).toEqual(read);
  });

  it("documents the variables the end-to-end runs read, and only ones the tests read", () => {
    const testRead = envRead(sourceFiles("tests", "playwright.config.ts", "vitest.config.ts"));
    const e2eRead = envRead(sourceFiles("tests/e2e", "tests/helpers", "playwright.config.ts"));
    const documented = new Set([...app.keys(), ...forTests.keys()]);
    expect(e2eRead.filter((name) => !documented.has(name))).toEqual([]);
    expect([...forTests.keys()].filter((name) => !testRead.includes(name))).toEqual([]);
  });

  it("the README's configuration table names only variables the app reads", () => {
    const readme = tablesOf(fs.readFileSync(path.join(ROOT, "README.md"), "utf8")).find(
      (t) => t.heading === "Configuration",
    )!;
    const read = appReads();
    expect([...rowsByName(readme).keys()].filter((name) => !read.includes(name))).toEqual([]);
  });
});

describe("docs/api.md: routes and pages", () => {
  /** A file under app/ as its URL: route groups dropped, `[id]` as `<id>`. */
  const urlOf = (file: string) =>
    "/" +
    path
      .relative(path.join(ROOT, "app"), path.dirname(file))
      .split(path.sep)
      .filter((segment) => segment && !/^\(.*\)$/.test(segment))
      .map((segment) => segment.replace(/^\[(.+)\]$/, "<$1>"))
      .join("/");

  it("names every method of every API route", () => {
    const routes = sourceFiles("app/api").filter((file) => /route\.tsx?$/.test(file));
    expect(routes.length).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const file of routes) {
      for (const m of read(file).matchAll(
        /export (?:async )?function (GET|POST|PUT|PATCH|DELETE)\b/g,
      )) {
        const route = `${m[1]} ${urlOf(file)}`;
        if (!new RegExp(`\`${route.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[\`?]`).test(DOC)) {
          missing.push(route);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it("lists every page", () => {
    const pages = sourceFiles("app")
      .filter((file) => /\/page\.tsx$/.test(file))
      .map(urlOf);
    const documented = tableUnder("Pages").rows.flatMap((row) => ticked(row[0]));
    expect(pages.filter((page) => !documented.includes(page))).toEqual([]);
    expect(documented.filter((page) => !pages.includes(page))).toEqual([]);
  });
});
