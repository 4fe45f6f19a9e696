/**
 * Failed sign-in attempts, counted in memory per client and overall over a sliding window.
 * Only failures count, so a right password never locks its owner out; once a client is over
 * the limit even a right password waits, or guessing would simply continue.
 */
export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export type FailureLimiter = {
  check(client: string, now?: number): RateLimitDecision;
  recordFailure(client: string, now?: number): void;
  reset(): void;
};

export function createFailureLimiter(options: {
  perClient: number;
  overall: number;
  windowMs: number;
}): FailureLimiter {
  const failures = new Map<string, number[]>();
  const OVERALL = "\u0000overall";

  const recent = (key: string, now: number) => {
    const kept = (failures.get(key) ?? []).filter((t) => t > now - options.windowMs);
    if (kept.length) failures.set(key, kept);
    else failures.delete(key);
    return kept;
  };
  const decide = (times: number[], limit: number, now: number): RateLimitDecision =>
    times.length < limit
      ? { allowed: true }
      : {
          allowed: false,
          retryAfterSeconds: Math.max(
            1,
            Math.ceil((times[times.length - limit] + options.windowMs - now) / 1000),
          ),
        };

  return {
    check(client, now = Date.now()) {
      const mine = decide(recent(client, now), options.perClient, now);
      if (!mine.allowed) return mine;
      // The overall cap stops a guesser who rotates spoofable client addresses.
      return decide(recent(OVERALL, now), options.overall, now);
    },
    recordFailure(client, now = Date.now()) {
      for (const key of [client, OVERALL]) failures.set(key, [...recent(key, now), now]);
      // Keep memory bounded under a flood of distinct clients.
      if (failures.size > 10_000) {
        for (const key of failures.keys()) if (recent(key, now).length === 0) failures.delete(key);
      }
    },
    reset() {
      failures.clear();
    },
  };
}

const g = globalThis as unknown as { signInLimiter?: FailureLimiter };

/** The process's sign-in limiter: 10 failures a minute per client, 100 overall. */
export function signInLimiter(): FailureLimiter {
  g.signInLimiter ??= createFailureLimiter({ perClient: 10, overall: 100, windowMs: 60_000 });
  return g.signInLimiter;
}
