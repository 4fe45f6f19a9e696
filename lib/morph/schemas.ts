import { z } from "zod";
import { RECORD_MODELS } from "@/db/models";

/** Morph's wire format: strict on the envelope, lenient on the fields (see `lib/morph/fields.ts`). */

export const MODELS = ["crmEngagement", ...RECORD_MODELS] as const;
export type MorphModel = (typeof MODELS)[number];
export const ACTIONS = ["created", "updated", "deleted"] as const;
export type MorphAction = (typeof ACTIONS)[number];

export const EVENTS = MODELS.flatMap((model) => ACTIONS.map((action) => `${model}::${action}`));

const resourceId = z.union([
  z.string().trim().min(1, "must be a non-empty string"),
  z
    .number()
    .finite()
    .transform((n) => String(n)),
]);

export const morphEventSchema = z
  .object({
    event: z.enum(EVENTS as [string, ...string[]], {
      error: (issue) =>
        issue.input === undefined ? "is required" : `unknown event ${JSON.stringify(issue.input)}`,
    }),
    data: z.looseObject({
      object: z.string().optional(),
      model: z.string({ error: "is required" }),
      id: resourceId,
      fields: z.record(z.string(), z.unknown()).optional(),
      createdAt: z.unknown().optional(),
      updatedAt: z.unknown().optional(),
      rawResource: z.unknown().optional(),
      warnings: z.unknown().optional(),
    }),
  })
  .superRefine((value, ctx) => {
    const [model, action] = value.event.split("::");
    if (value.data.model !== model) {
      ctx.addIssue({
        code: "custom",
        path: ["data", "model"],
        message: `must be "${model}" for event ${value.event}`,
      });
    }
    if (action !== "deleted" && value.data.fields === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["data", "fields"],
        message: `is required for ${action} events`,
      });
    }
  })
  .transform((value) => {
    const [model, action] = value.event.split("::") as [MorphModel, MorphAction];
    return { ...value, model, action };
  });

export type MorphEvent = z.infer<typeof morphEventSchema>;

/** `{path, message}` pairs for a 422's `details`. */
export function describeIssues(error: z.ZodError) {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(root)",
    message: issue.message,
  }));
}

export const ENGAGEMENT_TYPES = ["call", "meeting", "email", "task", "note"] as const;
export const ENGAGEMENT_DIRECTIONS = ["inbound", "outbound"] as const;
export const ENGAGEMENT_STATUSES = ["planned", "inProgress", "completed", "canceled"] as const;
export type EngagementType = (typeof ENGAGEMENT_TYPES)[number];

export const resourceRefSchema = z.object({
  object: z.enum(["resourceRef", "resource"]).optional(),
  model: z.string().min(1),
  id: resourceId,
  fields: z.record(z.string(), z.unknown()).optional(),
  createdAt: z.unknown().optional(),
  updatedAt: z.unknown().optional(),
});
export type ResourceRef = z.infer<typeof resourceRefSchema>;
