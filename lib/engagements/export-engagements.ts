import { getStore } from "@/db/app-store";
import { encodeEngagementCursor, toEngagementQuery, type EngagementFilter } from "@/lib/filters";
import { CSV_LINE_END, csvHeader, engagementsToCsv } from "./csv";

/** One page as the read API answers it: `{data, nextCursor}`. */
export async function listEngagementsPage(filter: EngagementFilter) {
  const page = await getStore().listEngagements(toEngagementQuery(filter));
  return { data: page.data, nextCursor: page.next ? encodeEngagementCursor(page.next) : null };
}

/**
 * The filter's every row as a CSV stream, read from one snapshot (Store.exportEngagements) a
 * batch at a time as the client takes it: pull-based, so memory holds one batch whatever the
 * size. A client that goes away (the body cancelled, or `signal` aborted) ends the snapshot.
 * The snapshot opens before this resolves, so a database that cannot answer is an error
 * response, not a cut stream.
 */
export async function streamEngagementsCsv(
  filter: EngagementFilter,
  signal?: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const query = toEngagementQuery(filter);
  const rows = await getStore().exportEngagements(query);
  const encoder = new TextEncoder();
  const options = { via: query.rollup };
  let onAbort = () => {};
  const stop = () => {
    signal?.removeEventListener("abort", onAbort);
    return rows.close();
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      // Cut, not closed: a client must not take a truncated file for a whole one.
      onAbort = () => {
        void stop().finally(() => controller.error(signal!.reason));
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener("abort", onAbort, { once: true });
      controller.enqueue(encoder.encode(csvHeader(options)));
    },
    async pull(controller) {
      try {
        const batch = await rows.next();
        if (signal?.aborted) return;
        if (batch === null) {
          await stop();
          return controller.close();
        }
        const csv = engagementsToCsv(batch, { ...options, header: false });
        controller.enqueue(encoder.encode(CSV_LINE_END + csv));
      } catch (error) {
        await stop().catch(() => {});
        controller.error(error);
      }
    },
    cancel: stop,
  });
}
