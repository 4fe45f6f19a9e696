/** The filter → storage query mapping the read tests use. */
export { activityWindow, toEngagementQuery } from "@/lib/filters";
