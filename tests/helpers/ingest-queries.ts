import type { DeliveryQuery } from "@/db/types";
// The one import of the bridge in the ingest tests: repoint it when it moves into @/lib/filters.
import { parseDeliveryFilter, toDeliveryQuery, type DeliveryFilter } from "@/lib/filters";

export { toDeliveryQuery };

/** A delivery log URL query (`outcome=…&limit=…`), parsed as the log page parses it. */
export function deliveryFilter(search = ""): DeliveryFilter {
  return parseDeliveryFilter(new URLSearchParams(search));
}

/** The storage query a delivery log URL query asks for. */
export function deliveryQuery(search: string | DeliveryFilter = ""): DeliveryQuery {
  return toDeliveryQuery(typeof search === "string" ? deliveryFilter(search) : search);
}
