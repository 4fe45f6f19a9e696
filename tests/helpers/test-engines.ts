/** The engines the suite runs on: both, unless TEST_ENGINES names one (`npm run test:sqlite`). */
export type Engine = "sqlite" | "postgres";

export function testEngines(): Engine[] {
  const named = (process.env.TEST_ENGINES ?? "sqlite,postgres").split(",").map((e) => e.trim());
  return (["sqlite", "postgres"] as const).filter((engine) => named.includes(engine));
}
