import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseFilter } from "@/lib/filters";
import { deliver } from "../helpers/deliver";
import { openEngineStore, testEngines, type EngineStore } from "../helpers/engines";
import { toEngagementQuery } from "../helpers/read-queries";

/**
 * Where `q` means the same on both engines and where it cannot (docs/api.md, under `q`): SQLite's
 * unicode61 folds accents and splits every token at punctuation; PostgreSQL's 'simple'
 * configuration keeps accents and reads an email, a host, a URL, a number such as `1.5` or a
 * date's `-02` as one word of its own.
 */

const TEXTS: Record<string, [title: string, description: string]> = {
  accent: ["Café visit", "Lunch"],
  email: ["Follow-up", "Mail ana@example.com the quote"],
  url: ["Reading", "Read acme.example/docs today"],
  hyphen: ["Kick-off call", "Agenda"],
  number: ["Release", "Version 1.5 is out"],
  date: ["Deadline", "Due 2025-02-01"],
  split: ["Pricing", "Renewal terms"],
  sentence: ["Notes", "Call done.Next steps"],
};

/** Which texts a `q` finds on each engine: [SQLite, PostgreSQL]. */
const CASES: [q: string, sqlite: string[], postgres: string[]][] = [
  // The same on both.
  ["café", ["accent"], ["accent"]],
  ["CAFÉ visit", ["accent"], ["accent"]],
  ["caf*", ["accent"], ["accent"]],
  ["ana@example.com", ["email"], ["email"]],
  ["ana*", ["email"], ["email"]],
  ["acme.example/docs", ["url"], ["url"]],
  ["acme.example", ["url"], ["url"]],
  ["kick-off", ["hyphen"], ["hyphen"]],
  ["kick", ["hyphen"], ["hyphen"]],
  ["off", ["hyphen"], ["hyphen"]],
  ["1.5", ["number"], ["number"]],
  ["2025-02-01", ["date"], ["date"]],
  ["pricing renewal", ["split"], ["split"]],
  ["done.Next", ["sentence"], ["sentence"]],
  // Accents: folded on SQLite, kept on PostgreSQL.
  ["cafe", ["accent"], []],
  ["CAFE visit", ["accent"], []],
  // A part of what PostgreSQL reads as one word.
  ["ana", ["email"], []],
  ["example", ["email", "url"], []],
  ["docs", ["url"], []],
  ["5", ["number"], []],
  ["02", ["date"], []],
  ["done", ["sentence"], []],
  ["next", ["sentence"], []],
  // A phrase across title and description: PostgreSQL indexes them as one text.
  ["pricing,renewal", [], ["split"]],
];

describe.each(testEngines())("q on %s", (engine) => {
  let opened: EngineStore;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    opened = await openEngineStore(engine);
    for (const [name, [title, description]] of Object.entries(TEXTS)) {
      const body = {
        event: "crmEngagement::created",
        data: {
          object: "resource",
          model: "crmEngagement",
          id: name,
          fields: { type: "note", title, description, startedAt: "2025-03-01T00:00:00.000Z" },
          createdAt: "2025-03-01T00:00:00.000Z",
          updatedAt: "2025-03-01T00:00:00.000Z",
        },
      };
      expect((await deliver(opened.store, body)).status).toBe(200);
    }
    for (const row of await opened.all("select id, external_id from engagements")) {
      ids.set(String(row.id), String(row.external_id));
    }
  });
  afterAll(() => opened?.cleanup());

  const found = async (q: string) => {
    const query = toEngagementQuery(parseFilter(new URLSearchParams({ q, limit: "200" })));
    const page = await opened.store.listEngagements(query);
    const { count } = await opened.store.countEngagements(query);
    expect(count).toBe(page.data.length);
    return page.data.map((e) => ids.get(e.id)!).sort();
  };

  for (const [q, sqlite, postgres] of CASES) {
    const expected = engine === "sqlite" ? sqlite : postgres;
    it(`${JSON.stringify(q)} finds ${expected.length ? expected.join(", ") : "nothing"}`, async () => {
      expect(await found(q)).toEqual([...expected].sort());
    });
  }

  it("finds every text with a word of the one it names, whatever its punctuation", async () => {
    expect(await found("!visit")).toEqual(["accent"]);
    expect(await found("visit)")).toEqual(["accent"]);
    expect(await found("'visit'")).toEqual(["accent"]);
    expect(await found("visit:*")).toEqual(["accent"]);
    expect(await found("&")).toEqual(Object.keys(TEXTS).sort());
  });
});
