import { loadEngagement } from "@/lib/engagements/load-engagement";
import { errorResponse, HttpError } from "@/lib/http-error";

export const dynamic = "force-dynamic";

export async function GET(
  _request: Request,
  context: { params: Promise<{ id: string }> },
): Promise<Response> {
  try {
    const { id } = await context.params;
    const engagement = await loadEngagement(id);
    if (!engagement) throw new HttpError(404, "not_found", `No engagement with id "${id}".`);
    return Response.json(engagement);
  } catch (error) {
    return errorResponse(error);
  }
}
