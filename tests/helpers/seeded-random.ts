import { randomInt } from "node:crypto";

export type SeededRandom = {
  seed: number;
  /** A float in [0, 1), as Math.random gives. */
  next(): number;
  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[];
};

/**
 * Randomness a failing run can replay: the seed comes from TEST_SEED when it is set, else it is
 * drawn now, and either way it is printed with `label`. mulberry32: small, fast, good enough to
 * order requests.
 */
export function seededRandom(
  label: string,
  env: Record<string, string | undefined> = process.env,
): SeededRandom {
  const given = env.TEST_SEED?.trim();
  if (given && !/^\d{1,10}$/.test(given)) {
    throw new Error(`TEST_SEED must be a whole number, got "${given}"`);
  }
  const seed = given ? Number(given) >>> 0 : randomInt(2 ** 32);
  console.log(`${label}: seed ${seed} (replay with TEST_SEED=${seed})`);
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  const shuffle = <T>(items: readonly T[]) => {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  };
  return { seed, next, shuffle };
}
