import { getDatabase } from "@/db/client";

export const dynamic = "force-dynamic";

export function GET() {
  try {
    getDatabase().$client.prepare("select 1").get();
    return Response.json({ ok: true });
  } catch (error) {
    console.error("health check failed", error);
    return Response.json({ ok: false }, { status: 503 });
  }
}
