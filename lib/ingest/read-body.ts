import { HttpError } from "@/lib/http-error";

/**
 * Reads a request body as UTF-8 text, stopping as soon as it passes `limit` bytes, so a huge
 * body costs at most `limit + 1` bytes of memory and reading.
 */
export async function readBodyWithLimit(request: Request, limit: number): Promise<string> {
  const tooLarge = () =>
    new HttpError(413, "payload_too_large", `Body is larger than ${limit} bytes.`, { limit });
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return "";

  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, "invalid_json", "Body is not valid UTF-8 JSON.");
  }
}
