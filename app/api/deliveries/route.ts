import { parseDeliveryFilter } from "@/lib/filters";
import { listDeliveriesPage } from "@/lib/deliveries/load-deliveries";
import { errorResponse } from "@/lib/http-error";

export const dynamic = "force-dynamic";

/** The idempotency log, newest first: `{data, nextCursor}`. */
export async function GET(request: Request): Promise<Response> {
  try {
    const filter = parseDeliveryFilter(new URL(request.url).searchParams);
    return Response.json(await listDeliveriesPage(filter));
  } catch (error) {
    return errorResponse(error);
  }
}
