import { getDatabase } from "@/db/client";
import { listDeliveries } from "@/db/queries/deliveries";
import { parseDeliveryFilter } from "@/lib/delivery-filters";
import { errorResponse } from "@/lib/http-error";

export const dynamic = "force-dynamic";

/** The idempotency log, newest first: `{data, nextCursor}` (CONTRACT.md). */
export function GET(request: Request): Response {
  try {
    const filter = parseDeliveryFilter(new URL(request.url).searchParams);
    return Response.json(listDeliveries(getDatabase(), filter));
  } catch (error) {
    return errorResponse(error);
  }
}
