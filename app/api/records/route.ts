import { errorResponse } from "@/lib/http-error";
import { searchRecordSuggestions } from "@/lib/records/search-records";

export const dynamic = "force-dynamic";

/** Picker suggestions: `?model=genericUser&q=da` → `{data:[{model,id,name,email,connection}]}`. */
export async function GET(request: Request): Promise<Response> {
  try {
    return Response.json({
      data: await searchRecordSuggestions(new URL(request.url).searchParams),
    });
  } catch (error) {
    return errorResponse(error);
  }
}
