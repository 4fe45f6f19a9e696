import { isEnabled } from "@/lib/config";

export const dynamic = "force-dynamic";

/**
 * The framework's floor for `npm run bench`: a POST that reads its body and answers, nothing
 * more. It exists only when the server runs with BENCH_NOOP=1; otherwise it is a 404.
 */
export async function POST(request: Request): Promise<Response> {
  if (!isEnabled(process.env.BENCH_NOOP)) {
    return Response.json({ error: { code: "not_found", message: "Not found." } }, { status: 404 });
  }
  const body = await request.text();
  return new Response(body, { status: 200, headers: { "content-type": "application/json" } });
}
