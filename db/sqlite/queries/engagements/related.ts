import { sql } from "drizzle-orm";
import type { RefRole } from "@/db/models";
import type { RefCount } from "@/db/types";
import { all } from "../../prepared";
import { whereClause } from "../sql";
import { deletedScope, type ReadContext } from "./context";
import { plan } from "./plan";

/** The records of `role` the query's engagements reference most, with how many reference each. */
export function countReferences(ctx: ReadContext, role: RefRole, limit: number): RefCount[] {
  const p = plan(ctx.query, ctx.text, { deleted: deletedScope(ctx.query), purpose: "count" });
  return all<RefCount>(
    ctx.db,
    sql`select x.ref_id as id, count(*) as count from ${p.from}
      cross join engagement_refs x on x.engagement_id = ${p.id} and x.role = ${role}
      ${whereClause(p.where)} group by x.ref_id order by count desc, x.ref_id limit ${limit}`,
  );
}
