import { errorResponse } from "@/lib/http-error";
import { scrapeMetrics } from "@/lib/metrics/scrape";
import { requestTime } from "@/lib/request-origin";

export const dynamic = "force-dynamic";

/** This process's metrics in Prometheus' text format (behind the login or API_TOKEN, proxy.ts). */
export async function GET(): Promise<Response> {
  try {
    const { contentType, body } = await scrapeMetrics(requestTime());
    return new Response(body, {
      headers: { "content-type": contentType, "cache-control": "no-store" },
    });
  } catch (error) {
    return errorResponse(error);
  }
}
