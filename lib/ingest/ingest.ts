import type { Store } from "@/db/store";
import type { DeliveryMeta, DeliveryResult } from "@/db/types";
import { HttpError } from "@/lib/http-error";
import { readDelivery } from "./read-delivery";

/** Reads a delivery and stores it; resolves once committed, rejects with why it was not. */
export async function ingest(
  store: Store,
  rawBody: string,
  meta: DeliveryMeta,
): Promise<DeliveryResult> {
  const answer = await store.ingestDelivery(readDelivery(rawBody, meta));
  if (!answer.ok) throw HttpError.from(answer.error);
  return answer.result;
}
