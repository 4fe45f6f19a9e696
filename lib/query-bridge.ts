// Goes once the tests import these from @/lib/filters.
export { activityWindow, toDeliveryQuery, toEngagementQuery } from "@/lib/filters";
