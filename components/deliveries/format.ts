/**
 * Processing time as the log shows it: most deliveries take well under a millisecond, so small
 * times keep two decimals ("0.42 ms"), larger ones fewer ("12.5 ms", "1,204 ms").
 */
export function formatProcessingTime(ms: number): string {
  if (ms > 0 && ms < 0.005) return "< 0.01 ms";
  const digits = ms < 10 ? 2 : ms < 100 ? 1 : 0;
  return `${new Intl.NumberFormat("en", { maximumFractionDigits: digits }).format(ms)} ms`;
}
