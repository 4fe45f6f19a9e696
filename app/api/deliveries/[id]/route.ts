import { getDatabase } from "@/db/client";
import { getDelivery } from "@/db/queries/deliveries";
import { errorResponse, HttpError } from "@/lib/http-error";
import { parseId } from "@/lib/parse-id";

export const dynamic = "force-dynamic";

/** One delivery whole: headers, body, response, and the original it repeats. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const id = parseId((await params).id);
    const delivery = id === null ? null : getDelivery(getDatabase(), id);
    if (!delivery) throw new HttpError(404, "not_found", "No delivery with this id.");
    return Response.json(delivery);
  } catch (error) {
    return errorResponse(error);
  }
}
