import { getDatabase } from "@/db/client";
import { isRecordModel, searchRecords } from "@/db/queries/records";
import { parseConnection } from "@/lib/filters";
import { errorResponse, HttpError } from "@/lib/http-error";

export const dynamic = "force-dynamic";

/** Picker suggestions: `?model=genericUser&q=da` → `{data:[{model,id,name,email,connection}]}`. */
export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const model = params.get("model");
    if (!isRecordModel(model)) {
      throw new HttpError(
        400,
        "invalid_model",
        "model must be one of genericUser, genericContact, genericCompany, crmOpportunity.",
      );
    }
    const data = searchRecords(
      getDatabase(),
      model,
      params.get("q") ?? "",
      parseConnection(params.get("connection")),
    );
    return Response.json({ data });
  } catch (error) {
    return errorResponse(error);
  }
}
