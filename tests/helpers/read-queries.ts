/**
 * The filter → storage query bridge the read tests use, from one place: it is to move into
 * lib/filters under the same names, and only this line will change then.
 */
export { activityWindow, toEngagementQuery } from "@/lib/query-bridge";
