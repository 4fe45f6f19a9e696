import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The production build lives apart from `next dev`'s so the two never clobber each other.
  typedRoutes: false,
};

export default nextConfig;
