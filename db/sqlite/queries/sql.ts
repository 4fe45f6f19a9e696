export { inList, whereClause } from "../../sql-fragments";
