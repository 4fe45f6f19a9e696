import { loadDelivery } from "@/lib/deliveries/load-deliveries";
import { errorResponse, HttpError } from "@/lib/http-error";

export const dynamic = "force-dynamic";

/** One delivery whole: headers, body, response, and the original it repeats. */
export async function GET(
  _request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const delivery = await loadDelivery((await params).id);
    if (!delivery) throw new HttpError(404, "not_found", "No delivery with this id.");
    return Response.json(delivery);
  } catch (error) {
    return errorResponse(error);
  }
}
