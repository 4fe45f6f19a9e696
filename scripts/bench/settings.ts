/** The run's sizes and counts: fixed ones, and those `--quick`, `-n`, `--duration`, `--rounds` set. */
export const CONCURRENCY = [10, 50];
export const READ_SAMPLES = 20;
export const HTTP_WARM_ROUNDS = 5;
export const IN_PROCESS_ROUNDS = 10;
export const WEBHOOK_SECRET = "bench-webhook-secret";

export type BenchSettings = {
  quick: boolean;
  /** Engagements in the bulk load the reads run against. */
  n: number;
  runSeconds: number;
  rounds: number;
  httpSamples: number;
};

export function settingsFrom(args: {
  quick: boolean;
  n?: string;
  duration?: string;
  rounds?: string;
}): BenchSettings {
  const { quick } = args;
  return {
    quick,
    n: Number((args.n ?? (quick ? "100000" : "1000000")).replace(/_/g, "")),
    runSeconds: Number(args.duration ?? (quick ? 2 : 6)),
    rounds: Number(args.rounds ?? (quick ? 2 : 5)),
    httpSamples: quick ? 10 : 20,
  };
}
