import { getStore } from "@/db/app-store";
import { StorageUnavailableError } from "@/db/errors";
import { errorResponse } from "@/lib/http-error";

export const dynamic = "force-dynamic";

/** 200 while the database answers and takes writes; else 503 with Retry-After (CONTRACT "health"). */
export async function GET() {
  try {
    await getStore().checkHealth();
    return Response.json({ ok: true });
  } catch (error) {
    const unavailable =
      error instanceof StorageUnavailableError
        ? error
        : new StorageUnavailableError({ health: "check failed" }, { cause: error });
    return errorResponse(unavailable);
  }
}
