import { cache } from "react";
import { getStore } from "@/db/app-store";
import { parseId } from "@/lib/parse-id";

/** One engagement whole by its URL id; null for an id that is not one of ours. */
export async function loadEngagement(idParam: string) {
  const id = parseId(idParam);
  return id === null ? null : getStore().getEngagement(id);
}

/** The page's title and body read the same engagement: one query per request. */
export const loadEngagementOnce = cache(loadEngagement);
