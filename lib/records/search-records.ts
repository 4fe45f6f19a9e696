import { isRecordModel } from "@/db/roles";
import { getStore } from "@/db/app-store";
import { formatConnection, parseConnection } from "@/lib/filters";
import { HttpError } from "@/lib/http-error";

/** The record pickers' suggestions, with each one's connection as the URL writes it. */
export async function searchRecordSuggestions(params: URLSearchParams) {
  const model = params.get("model");
  if (!isRecordModel(model)) {
    throw new HttpError(
      400,
      "invalid_model",
      "model must be one of genericUser, genericContact, genericCompany, crmOpportunity.",
    );
  }
  const connection = parseConnection(params.get("connection"));
  const found = await getStore().searchRecords(model, params.get("q") ?? "", connection);
  return found.map((record) => ({ ...record, connection: formatConnection(record.connection) }));
}
