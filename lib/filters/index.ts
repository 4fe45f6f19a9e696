/**
 * URL state of the engagement list and the delivery log: parsed once, forgivingly (a value that
 * does not fit means "no filter", never a 500), and every link, chip and cursor built here.
 */
export { allValues, DEFAULT_LIMIT, MAX_LIMIT, parseLimit, type ParamSource } from "./params";
export * from "./dates";
export * from "./ranges";
export * from "./cursor";
export * from "./connection";
export * from "./engagement-filter";
export * from "./delivery-filter";
export * from "./links";
export * from "./chips";
