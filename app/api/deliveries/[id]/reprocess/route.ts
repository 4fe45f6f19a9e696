import { getDatabase } from "@/db/client";
import { errorResponse, HttpError } from "@/lib/http-error";
import { reprocessDelivery } from "@/lib/ingest/reprocess";
import { asStorageError } from "@/lib/ingest/storage-errors";
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
  const fromForm = (request.headers.get("content-type") ?? "").includes("form");
  try {
    const id = parseId((await params).id);
    if (id === null) throw new HttpError(404, "not_found", "No delivery with this id.");
    const result = reprocessDelivery(getDatabase(), id);
    if (fromForm) {
      return new Response(null, {
        status: 303,
        headers: { location: `/deliveries/${result.deliveryId}` },
      });
    }
    return Response.json(
      { deliveryId: result.deliveryId, outcome: result.outcome, status: result.status },
      { status: 200 },
    );
  } catch (error) {
    const storage = asStorageError(error);
    if (storage) return storage.toResponse({ "retry-after": "5" });
    if (fromForm && error instanceof HttpError) {
      const id = encodeURIComponent((await params).id);
      return new Response(null, {
        status: 303,
        headers: { location: `/deliveries/${id}?reprocess=${encodeURIComponent(error.code)}` },
      });
    }
    return errorResponse(error);
  }
}
