/**
 * Native and WASM server packages stay out of the bundle: Node loads them at run time.
 *
 * The server code reads files at paths known only at run time (model folders, migrations), so Turbopack's file
 * tracing cannot scope those reads and traces the whole project, printing a page of warnings per read on every
 * build. Pixelwire runs `next start` in the repository (workers load the sources through tsx), never a traced
 * standalone copy, so those warnings say nothing actionable here: they are filtered by exact title for the
 * files that do such reads, and folders no server code needs stay out of the traces. A new dynamic read
 * anywhere else still warns. (Marking the reads with `/*turbopackIgnore: true*\/` in those files would remove
 * the cause; then these rules can go.)
 *
 * The type check runs in CI (`npm run typecheck` in .ci/run), not in `next build`: it was half of a first
 * `npm start`.
 * @type {import('next').NextConfig}
 */
const wholeProjectTrace = 'Dynamic filesystem access causes tracing of the whole project';

/**
 * Security headers of every page (the API sets its own, in server/http/security-headers.ts, so the plain Node
 * server sends them too). Next.js puts its bootstrap and RSC payload in inline <script> elements without nonces
 * unless every page renders dynamically with a nonce from middleware, so scripts are limited to this origin plus
 * inline ones ('unsafe-inline'); React and React Flow set inline style attributes. Dev mode (`next dev`) also needs
 * eval for React Refresh. Images: this origin, data: and blob: (previews of images picked for upload).
 */
const contentSecurityPolicy = [
  "default-src 'self'",
  `script-src 'self' 'unsafe-inline'${process.env.NODE_ENV === 'production' ? '' : " 'unsafe-eval'"}`,
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const pageSecurityHeaders = [
  { key: 'Content-Security-Policy', value: contentSecurityPolicy },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
];

const nextConfig = {
  // Parallel builds of one checkout (developers' test runs) can each use their own folder.
  distDir: process.env.PIXELWIRE_NEXT_DIST_DIR || '.next',
  serverExternalPackages: [
    'sharp',
    'onnxruntime-node',
    '@electric-sql/pglite',
    '@prisma/client',
    '@prisma/adapter-pg',
    '@prisma/driver-adapter-utils',
    '@prisma/schema-engine-wasm',
    'pglite-prisma-adapter',
    'pg',
    'prisma',
    'tsx',
  ],
  typescript: { ignoreBuildErrors: true },
  outputFileTracingExcludes: {
    '*': ['test/**', 'test-output/**', 'docs/**', 'bench/**', 'examples/**', 'tools/**', 'data/**'],
  },
  turbopack: {
    ignoreIssue: [
      { path: '**/nodes/_impl/**', title: wholeProjectTrace },
      { path: '**/server/db/migrate.ts', title: wholeProjectTrace },
    ],
  },
  async headers() {
    return [{ source: '/((?!api/).*)', headers: pageSecurityHeaders }];
  },
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
