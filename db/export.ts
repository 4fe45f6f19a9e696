import type { EngagementPage, EngagementQuery, EngagementView } from "./types";

/** Rows an export reads per batch: one page of the list's own query, keyset-paginated. */
export const EXPORT_BATCH = 1000;

/**
 * A query's every row, read batch by batch from one snapshot of the database (each engine holds
 * a read transaction of its own for it). `close` ends that transaction; an export left open
 * holds a connection, so whoever opens one closes it, read to the end or not.
 */
export type EngagementExport = {
  /** The next rows in list order, or null once every row was read (or after `close`). */
  next(): Promise<EngagementView[] | null>;
  close(): Promise<void>;
};

/**
 * The walk both engines share: `list` is the engine's list query inside its snapshot, run with
 * the export's batch and the previous batch's cursor; `release` ends the snapshot, once.
 */
export function walkExport(
  query: EngagementQuery,
  list: (query: EngagementQuery) => Promise<EngagementPage>,
  release: () => Promise<void>,
  batch = EXPORT_BATCH,
): EngagementExport {
  let after = query.after;
  let done = false;
  let reading: Promise<unknown> = Promise.resolve();
  let released: Promise<void> | null = null;
  // A close while a batch is read waits for it: its connection must not go back mid-query.
  const close = () => {
    done = true;
    released ??= reading.catch(() => {}).then(release);
    return released;
  };
  const read = async () => {
    const page = await list({ ...query, limit: batch, after });
    after = page.next;
    if (!page.next) done = true;
    return page.data.length > 0 || page.next ? page.data : null;
  };
  return {
    async next() {
      if (done) {
        await close();
        return null;
      }
      const batchRead = read();
      reading = batchRead;
      try {
        const rows = await batchRead;
        if (done) await close();
        return rows;
      } catch (error) {
        await close().catch(() => {});
        throw error;
      }
    },
    close,
  };
}
