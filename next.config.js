/**
 * Native and WASM server packages stay out of the bundle: Node loads them at run time.
 * @type {import('next').NextConfig}
 */
const nextConfig = {
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
  poweredByHeader: false,
  reactStrictMode: true,
};

export default nextConfig;
