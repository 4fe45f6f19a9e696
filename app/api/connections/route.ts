import { listConnectionsForApi } from "@/lib/connections/load-connections";
import { errorResponse } from "@/lib/http-error";
import { requestTime } from "@/lib/request-origin";

export const dynamic = "force-dynamic";

/** One row per connection seen: its totals, deliveries per day, and whether it went silent. */
export async function GET(): Promise<Response> {
  try {
    return Response.json(await listConnectionsForApi(requestTime()));
  } catch (error) {
    return errorResponse(error);
  }
}
