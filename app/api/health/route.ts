import { getStore } from "@/db/app-store";

export const dynamic = "force-dynamic";

export async function GET() {
  try {
    await getStore().checkHealth();
    return Response.json({ ok: true });
  } catch (error) {
    console.error("health check failed", error);
    return Response.json({ ok: false }, { status: 503 });
  }
}
