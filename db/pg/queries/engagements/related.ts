import { sql } from "drizzle-orm";
import type { RefRole } from "@/db/models";
import type { EngagementQuery, RefCount } from "@/db/types";
import type { PgDatabase } from "../../client";
import { allRows } from "../rows";
import { whereClause } from "../sql";
import { createReadContext } from "./context";
import { sourceOf } from "./where";

/** The records of `role` the query's engagements reference most, with how many reference each. */
export async function countReferences(
  db: PgDatabase,
  query: EngagementQuery,
  role: RefRole,
  limit: number,
): Promise<RefCount[]> {
  const source = sourceOf(createReadContext(db, query));
  return allRows<RefCount>(
    db,
    sql`select x.ref_id as id, count(*)::int as count from ${source.from}
      join engagement_refs x on x.connector_id = e.connector_id
        and x.connection_owner_id = e.connection_owner_id and x.engagement_id = e.id and x.role = ${role}
      ${whereClause(source.where)} group by x.ref_id order by count desc, x.ref_id limit ${limit}`,
  );
}
