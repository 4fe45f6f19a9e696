import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as listRoute } from "@/app/api/engagements/route";
import { deliver } from "../helpers/deliver";
import { setUpAppStore, testEngines, type EngineStore } from "../helpers/engines";
import { engagementEvent } from "../helpers/morph";

const ref = (model: string, id: string) => ({ object: "resourceRef", model, id });

/** A small batch, so that a few hundred rows make several (the default's walk is the same). */
const BATCH = 60;
/**
 * Over two batches: a reader holding the first has the second read ahead, and the export still
 * open. Three rows share each startedAt, so ties straddle a batch's edge.
 */
const ROWS = 3 * BATCH + 50;
/** In the last batch, on the company directly. */
const FORMULA_ROW = 20;

const startedAt = (i: number) => new Date(Date.UTC(2025, 0, 1) + Math.floor(i / 3) * 60_000);

/** Row i: on company 7001 directly, or (one in three) only through its opportunity 4401. */
function engagement(i: number, title = `Call ${i}`, updatedAt = "2025-03-01T10:00:00Z") {
  const viaDeal = i % 3 === 0;
  return engagementEvent(`e${i}`, updatedAt, {
    action: updatedAt === "2025-03-01T10:00:00Z" ? "created" : "updated",
    fields: {
      title: i === FORMULA_ROW ? '=HYPERLINK("http://x")' : title,
      description: i === FORMULA_ROW ? "@SUM(A1)" : null,
      startedAt: startedAt(i).toISOString(),
      companies: viaDeal ? [] : [ref("genericCompany", "7001")],
      opportunities: viaDeal ? [ref("crmOpportunity", "4401")] : [],
    },
  });
}

const OPPORTUNITY = {
  event: "crmOpportunity::created",
  data: {
    object: "resource",
    model: "crmOpportunity",
    id: "4401",
    createdAt: "2025-01-01T00:00:00.000Z",
    updatedAt: "2025-01-01T00:00:00.000Z",
    rawResource: null,
    warnings: [],
    fields: { name: "Deal 4401", companies: [ref("genericCompany", "7001")] },
  },
};

const exportOf = (params: string, init?: RequestInit) =>
  listRoute(new Request(`http://localhost/api/engagements?${params}&format=csv`, init));

const rowsOf = (csv: string) =>
  Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;

/** Reads the body up to its first chunk after the header, decoded; the reader stays open. */
async function firstChunks(response: Response) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = "";
  for (let chunk = 0; chunk < 2; chunk++) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the export ended within its first batch");
    text += decoder.decode(value, { stream: true });
  }
  return { reader, decoder, text };
}

describe.each(testEngines())("the CSV export on %s", (engine) => {
  let temp: EngineStore;
  beforeAll(async () => {
    temp = await setUpAppStore(engine, {}, { exportBatch: BATCH });
    await deliver(temp.store, OPPORTUNITY);
    for (let i = 0; i < ROWS; i++) await deliver(temp.store, engagement(i));
  });
  afterAll(() => temp.cleanup());

  /** Whether an export's transaction is still open: a checkpoint waits on its snapshot. */
  async function exportHeld(): Promise<boolean> {
    await deliver(temp.store, engagement(ROWS + 1000, "a write after the export began"));
    if (engine === "postgres") {
      const open = await temp.all(
        "select pid from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'",
      );
      return open.length > 0;
    }
    await temp.all("PRAGMA busy_timeout = 0");
    const [row] = await temp.all("PRAGMA wal_checkpoint(TRUNCATE)");
    await temp.all("PRAGMA busy_timeout = 5000");
    return row!.busy !== 0;
  }

  it("has every row exactly once, across batches, in list order", async () => {
    const response = await exportOf("deleted=include");
    expect(response.headers.get("content-type")).toContain("text/csv");
    const ids = rowsOf(await response.text()).map((row) => row.id);
    const stored = await temp.all("select id from engagements order by started_at desc, id desc");
    expect(ids.length).toBeGreaterThan(BATCH);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(stored.map((row) => String(row.id)));
  });

  it("reads one snapshot: what is written during the export is not in it", async () => {
    const before = await (await exportOf("company=7001&rollup=1")).text();
    const { reader, decoder, text } = await firstChunks(await exportOf("company=7001&rollup=1"));
    // A new newest row, a new oldest one, and a row of the first batch changed.
    await deliver(temp.store, engagement(-3, "new oldest"));
    await deliver(temp.store, engagement(ROWS + 3, "new newest"));
    await deliver(temp.store, engagement(ROWS - 1, "changed", "2025-03-02T10:00:00Z"));
    let during = text;
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      during += decoder.decode(next.value, { stream: true });
    }
    expect(during).toBe(before);
    const after = rowsOf(await (await exportOf("company=7001&rollup=1")).text());
    expect(after.map((row) => row.title)).toEqual(
      expect.arrayContaining(["new oldest", "new newest", "changed"]),
    );
  });

  it("rolls up with a via column and neutralises formulas in every batch", async () => {
    const rows = rowsOf(await (await exportOf("company=7001&rollup=1")).text());
    expect(rows.length).toBeGreaterThan(BATCH);
    const through = rows.filter((row) => Number(row.externalId.slice(1)) % 3 === 0);
    expect(through.every((row) => row.via === "Deal 4401")).toBe(true);
    const direct = rows.filter((row) => Number(row.externalId.slice(1)) % 3 !== 0);
    expect(direct.every((row) => row.via === "" && row.companyIds === "7001")).toBe(true);
    const formula = rows.find((row) => row.externalId === `e${FORMULA_ROW}`)!;
    expect(formula.title).toBe('\'=HYPERLINK("http://x")');
    expect(formula.description).toBe("'@SUM(A1)");
    expect(formula.companyIds).toBe("7001");
  });

  it("ends its transaction when the client cancels the body", async () => {
    const { reader } = await firstChunks(await exportOf("deleted=include"));
    expect(await exportHeld()).toBe(true);
    await reader.cancel();
    expect(await exportHeld()).toBe(false);
  });

  it("ends its transaction, cutting the file, when the request is aborted", async () => {
    const abort = new AbortController();
    const response = await exportOf("deleted=include", { signal: abort.signal });
    const { reader } = await firstChunks(response);
    expect(await exportHeld()).toBe(true);
    abort.abort();
    // The stream errors once the transaction is over, so a cut file never ends like a whole one.
    await expect(
      (async () => {
        while (!(await reader.read()).done);
      })(),
    ).rejects.toThrow();
    expect(await exportHeld()).toBe(false);
  });
});
