/** Links on the engagement page: underlined on hover, with a visible focus ring. */
export const DETAIL_LINK =
  "text-sky-700 underline-offset-2 hover:underline focus-visible:rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600";
