import { setting } from "@/lib/config";
import { safeEqual } from "./secrets";

/**
 * Whether the request carries `Authorization: Bearer <API_TOKEN>` (compared in constant time).
 * Always false while `API_TOKEN` is unset. What the token may open is the caller's to decide.
 */
export function hasApiToken(request: Request): boolean {
  const token = setting("API_TOKEN");
  if (!token) return false;
  const offered = request.headers
    .get("authorization")
    ?.match(/^Bearer\s+(.+)$/i)?.[1]
    ?.trim();
  return offered !== undefined && safeEqual(offered, token);
}
