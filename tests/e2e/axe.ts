import path from "node:path";
import { expect, type Page } from "@playwright/test";

/** axe-core's own bundle, run inside the page (the spec must `test.use({ bypassCSP: true })`). */
const AXE = path.join(process.cwd(), "node_modules", "axe-core", "axe.min.js");

type Violation = { id: string; impact: string | null; nodes: { target: string[] }[] };

/** Fails with every WCAG A/AA rule the page breaks, and where. */
export async function expectNoAxeViolations(page: Page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (...a: unknown[]) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    })) as { violations: Violation[] };
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
    }));
  });
  expect(violations).toEqual([]);
}
