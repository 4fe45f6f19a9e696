// Goes once db/ takes `DeliveryQuery` (toDeliveryQuery in lib/filters) instead of this filter.
export {
  dateBound,
  encodeDeliveryCursor as encodeCursor,
  parseDeliveryFilter,
  type DeliveryFilter,
} from "./filters";
