// Types for static image imports (next-env.d.ts, which Next writes at build time, is not committed), so `tsc --noEmit` works on a fresh clone.
/// <reference types="next/image-types/global" />
