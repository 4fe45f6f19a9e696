import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import type { EngagementView } from "@/db/types";
import { CSV_COLUMNS, engagementsToCsv } from "@/lib/engagements/csv";

function engagement(fields: Partial<EngagementView>): EngagementView {
  return {
    id: "1",
    externalId: "eng_1",
    connectorId: "hubspot",
    connectionOwnerId: "acme",
    type: "call",
    direction: null,
    status: null,
    title: null,
    description: null,
    startedAt: "2025-03-06T10:00:00.000Z",
    endedAt: null,
    duration: null,
    createdAt: null,
    updatedAt: "2025-03-06T10:00:00.000Z",
    deletedAt: null,
    owner: null,
    users: [],
    contacts: [],
    companies: [],
    opportunities: [],
    warnings: [],
    ...fields,
  };
}

/** The CSV read back as a spreadsheet would: one object per row, by column name. */
const readBack = (csv: string) =>
  Papa.parse<Record<string, string>>(csv, { header: true, skipEmptyLines: true }).data;

describe("engagementsToCsv", () => {
  it.each([
    ['=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'],
    ["+1 555", "'+1 555"],
    ["@cmd", "'@cmd"],
    ["-2", "'-2"],
    ["\t=1+1", "'\t=1+1"],
    ["\r=1+1", "'\r=1+1"],
    // papaparse's own default pattern lets this one through.
    ["=1+1\nsecond line", "'=1+1\nsecond line"],
    ["plain", "plain"],
    ["a = b", "a = b"],
  ])("a text cell %j is written as %j", (title, written) => {
    const [row] = readBack(engagementsToCsv([engagement({ title })]));
    expect(row.title).toBe(written);
  });

  it("leaves numbers and empty cells alone", () => {
    const csv = engagementsToCsv([engagement({ duration: -30, description: null })]);
    const [row] = readBack(csv);
    expect(row.duration).toBe("-30");
    expect(row.description).toBe("");
    expect(csv.split("\r\n")[0]).toBe(CSV_COLUMNS.join(","));
  });
});
