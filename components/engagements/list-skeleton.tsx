/** The count and chart card while it streams in: the same box and height, no numbers yet. */
export function CountSkeleton({ className }: { className: string }) {
  return (
    <div className={`streaming-fallback animate-pulse ${className}`} aria-hidden>
      <div>
        <div className="my-1 h-6 w-24 rounded bg-slate-200" />
        <div className="my-0.5 h-3 w-32 rounded bg-slate-200" />
      </div>
      <div>
        <div className="h-12 rounded bg-slate-200/70" />
        <div className="mt-1 h-4" />
      </div>
    </div>
  );
}

/** The facet column while it streams in. */
export function FacetsSkeleton({ className }: { className: string }) {
  return (
    <div className={`streaming-fallback animate-pulse ${className}`} aria-hidden>
      {Array.from({ length: 4 }, (_, i) => (
        <div key={i} className="h-24 rounded bg-slate-200/70" />
      ))}
    </div>
  );
}

/**
 * Without JavaScript nothing moves a streamed part into its place: React leaves it in a hidden
 * element at the end of the page. There it is shown instead (under the list, facets as a grid),
 * the skeletons it would have replaced are hidden and the list takes their column too, so the
 * counts and facet links still work. In the base layer and important, to outrank Tailwind's
 * `[hidden] { display: none !important }` there.
 */
export function NoScriptStreaming() {
  return (
    <noscript
      dangerouslySetInnerHTML={{
        __html:
          "<style>@layer base{" +
          ".streaming-fallback{display:none!important}" +
          ".engagement-results{grid-column:1/-1}" +
          'body>div[hidden][id^="S:"]{display:block!important;max-width:80rem;margin:0 auto 1rem;padding:0 1.5rem}' +
          'body>div[id^="S:"]>aside{display:grid!important}' +
          "}</style>",
      }}
    />
  );
}
