import { StorageUnavailableError } from "./errors";
import type { DeliveryAnswer } from "./types";

/**
 * With no write for this long, health writes once itself: nothing arrives while a load balancer
 * keeps an unhealthy app out, and freed space must still be seen without a restart.
 */
export const IDLE_PROBE_MS = 5_000;

/**
 * Whether this process's writes go through (CONTRACT "health"). A `select 1` stays green on a
 * full disk, so the store reports each delivery's write here: one that failed for a storage
 * reason makes health 503 until a write succeeds. Only deliveries and the probe count: a small
 * write (a session, a refusal's log row) can go through on a disk where deliveries do not.
 * Per process, as each process has its own connections.
 */
export function createWriteHealth(probe: () => Promise<void>, idleProbeMs = IDLE_PROBE_MS) {
  let failure: StorageUnavailableError | null = null;
  let lastWriteAt = 0;

  const succeeded = () => {
    failure = null;
    lastWriteAt = Date.now();
  };
  const failed = (error: StorageUnavailableError) => {
    failure = error;
    lastWriteAt = Date.now();
  };
  /** Runs a write and notes whether the database took it; its result or error passes through. */
  const track = async <T>(write: () => Promise<T>, tookIt: (result: T) => boolean): Promise<T> => {
    try {
      const result = await write();
      if (tookIt(result)) succeeded();
      return result;
    } catch (error) {
      if (error instanceof StorageUnavailableError) failed(error);
      throw error;
    }
  };

  return {
    /** A delivery's answer says how its write went (a refused body was still logged: it did). */
    ingest: (write: () => Promise<DeliveryAnswer>) =>
      track(write, (answer) => {
        if (answer.ok) return true;
        if (answer.error.code === "storage_unavailable") {
          const details = (answer.error.details ?? {}) as Record<string, string>;
          failed(new StorageUnavailableError(details));
        }
        return false;
      }),
    /** Rejects with the last storage failure while no write has succeeded since. */
    async check(): Promise<void> {
      if (failure === null) return;
      if (Date.now() - lastWriteAt < idleProbeMs) throw failure;
      await track(probe, () => true);
    },
  };
}

export type WriteHealth = ReturnType<typeof createWriteHealth>;
