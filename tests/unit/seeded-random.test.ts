import { describe, expect, it, vi } from "vitest";
import { seededRandom } from "../helpers/seeded-random";

describe("seededRandom", () => {
  it("replays the same sequence and shuffle from TEST_SEED, and prints the seed", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const a = seededRandom("a", { TEST_SEED: "12345" });
    const b = seededRandom("b", { TEST_SEED: "12345" });
    expect(a.seed).toBe(12345);
    expect(log).toHaveBeenCalledWith("a: seed 12345 (replay with TEST_SEED=12345)");
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = a.shuffle(items);
    expect(b.shuffle(items)).toEqual(shuffled);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    expect(a.next()).toBe(b.next());
    const other = seededRandom("c", { TEST_SEED: "54321" });
    expect(other.shuffle(items)).not.toEqual(shuffled);
    log.mockRestore();
  });

  it("draws and prints a seed of its own without TEST_SEED", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const random = seededRandom("run", {});
    expect(Number.isInteger(random.seed)).toBe(true);
    expect(log).toHaveBeenCalledWith(
      `run: seed ${random.seed} (replay with TEST_SEED=${random.seed})`,
    );
    const values = Array.from({ length: 1000 }, () => random.next());
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
    log.mockRestore();
  });

  it("refuses a TEST_SEED that is not a whole number", () => {
    expect(() => seededRandom("x", { TEST_SEED: "abc" })).toThrow(
      /TEST_SEED must be a whole number/,
    );
  });
});
