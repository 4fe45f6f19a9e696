import { receiveWebhook } from "@/lib/ingest/receive-webhook";

export const dynamic = "force-dynamic";

export function POST(request: Request): Promise<Response> {
  return receiveWebhook(request);
}
