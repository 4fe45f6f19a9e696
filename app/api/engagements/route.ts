import { exportEngagementsCsv, listEngagementsPage } from "@/lib/engagements/export-engagements";
import { parseFilter } from "@/lib/filters";
import { errorResponse } from "@/lib/http-error";

export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const filter = parseFilter(params);
    if (params.get("format") !== "csv") return Response.json(await listEngagementsPage(filter));
    return new Response(await exportEngagementsCsv(filter), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="engagements.csv"',
      },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
