import { getStore } from "@/db/app-store";
import { refuseCrossOrigin } from "@/lib/auth/same-origin";
import { errorResponse, HttpError } from "@/lib/http-error";
import { reprocessDelivery } from "@/lib/ingest/reprocess";
import { parseId } from "@/lib/parse-id";

export const dynamic = "force-dynamic";

/**
 * Re-applies a rejected or conflicting delivery from the log. A form post (the button on the
 * delivery page) is sent on to the new delivery; an API call gets its outcome as JSON.
 */
export async function POST(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const foreign = refuseCrossOrigin(request);
  if (foreign) return foreign;
  const fromForm = (request.headers.get("content-type") ?? "").includes("form");
  const idParam = (await params).id;
  try {
    const id = parseId(idParam);
    if (id === null) throw new HttpError(404, "not_found", "No delivery with this id.");
    const result = await reprocessDelivery(getStore(), id);
    if (fromForm) {
      return new Response(null, {
        status: 303,
        headers: { location: `/deliveries/${result.deliveryId}` },
      });
    }
    return Response.json({
      deliveryId: result.deliveryId,
      outcome: result.outcome,
      status: result.status,
    });
  } catch (error) {
    if (fromForm && error instanceof HttpError && error.status !== 503) {
      const location = `/deliveries/${encodeURIComponent(idParam)}?reprocess=${encodeURIComponent(error.code)}`;
      return new Response(null, { status: 303, headers: { location } });
    }
    return errorResponse(error);
  }
}
