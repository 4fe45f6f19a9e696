import { getDatabase } from "@/db/client";
import { listEngagements, type EngagementView } from "@/db/queries/engagements";
import { engagementsToCsv } from "@/lib/engagements/csv";
import { MAX_LIMIT, parseFilter } from "@/lib/filters";
import { errorResponse } from "@/lib/http-error";

export const dynamic = "force-dynamic";

/** A CSV export walks every page of the filter, up to this many rows. */
const CSV_MAX_ROWS = 50_000;

export async function GET(request: Request): Promise<Response> {
  try {
    const params = new URL(request.url).searchParams;
    const filter = parseFilter(params);
    const db = getDatabase();
    if (params.get("format") === "csv") {
      const rows: EngagementView[] = [];
      let page = listEngagements(db, { ...filter, limit: MAX_LIMIT });
      rows.push(...page.data);
      while (page.nextCursor && rows.length < CSV_MAX_ROWS) {
        page = listEngagements(db, {
          ...filter,
          limit: MAX_LIMIT,
          cursor: parseFilter(new URLSearchParams({ cursor: page.nextCursor })).cursor,
        });
        rows.push(...page.data);
      }
      return new Response(engagementsToCsv(rows.slice(0, CSV_MAX_ROWS)), {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": 'attachment; filename="engagements.csv"',
        },
      });
    }
    return Response.json(listEngagements(db, filter));
  } catch (error) {
    return errorResponse(error);
  }
}
