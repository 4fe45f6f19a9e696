import { getStore } from "@/db/app-store";
import {
  encodeDeliveryCursor,
  formatConnection,
  toDeliveryQuery,
  type DeliveryFilter,
} from "@/lib/filters";
import { parseId } from "@/lib/parse-id";

/** One page of the log as the read API answers it: `{data, nextCursor}`. */
export async function listDeliveriesPage(filter: DeliveryFilter) {
  const page = await getStore().listDeliveries(toDeliveryQuery(filter));
  return {
    data: page.data,
    nextCursor: page.next === null ? null : encodeDeliveryCursor(page.next),
  };
}

/** The log page: a page of rows, the outcome pills' counts and the filter form's choices. */
export async function loadDeliveryLog(filter: DeliveryFilter) {
  const store = getStore();
  const query = toDeliveryQuery(filter);
  const [page, counts, choices] = await Promise.all([
    listDeliveriesPage(filter),
    store.countDeliveriesByOutcome(query),
    store.deliveryFilterChoices(),
  ]);
  // The counts leave the outcome filter out (the pills' own); what matches is the chosen ones'.
  const total = Object.values(counts).reduce((sum, n) => sum + n, 0);
  const matching = filter.outcome.length
    ? filter.outcome.reduce((sum, outcome) => sum + (counts[outcome] ?? 0), 0)
    : total;
  const connections = choices.connections.map(formatConnection).sort();
  return { page, counts, total, matching, choices: { events: choices.events, connections } };
}

/** One delivery whole by its URL id; null for an id that is not one of ours. */
export async function loadDelivery(idParam: string) {
  const id = parseId(idParam);
  return id === null ? null : getStore().getDelivery(id);
}
