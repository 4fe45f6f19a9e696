import { RECORD_MODELS, type RecordModel, type RefRole } from "./models";

/**
 * How an engagement references records: the role a reference plays, the list of `fields`
 * that holds it, the model it names, the list filter that selects it and its label.
 */
export const REFERENCE_ROLES = [
  { role: "user", list: "users", model: "genericUser", filterKey: "user", label: "User" },
  {
    role: "contact",
    list: "contacts",
    model: "genericContact",
    filterKey: "contact",
    label: "Contact",
  },
  {
    role: "company",
    list: "companies",
    model: "genericCompany",
    filterKey: "company",
    label: "Company",
  },
  {
    role: "opportunity",
    list: "opportunities",
    model: "crmOpportunity",
    filterKey: "opportunity",
    label: "Opportunity",
  },
] as const satisfies readonly {
  role: RefRole;
  model: RecordModel;
  list: string;
  filterKey: string;
  label: string;
}[];

export type ReferenceRole = (typeof REFERENCE_ROLES)[number];
export type ReferenceList = ReferenceRole["list"];

export const ROLE: { [R in RefRole]: Extract<ReferenceRole, { role: R }> } = Object.fromEntries(
  REFERENCE_ROLES.map((entry) => [entry.role, entry]),
) as never;

/** The owner is a user named by `fields.owner`, filtered by `owner`. */
export const OWNER_MODEL = "genericUser" satisfies RecordModel;

export function isRecordModel(value: unknown): value is RecordModel {
  return typeof value === "string" && (RECORD_MODELS as readonly string[]).includes(value);
}
