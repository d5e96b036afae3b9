import { defineConfig } from 'tsup'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    node: 'src/node/index.ts',
    redis: 'src/redis/index.ts',
    cli: 'src/cli/main.ts',
    worker: 'src/node/worker.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: they were 2.3 MB of a 5.2 MB package, and the build is not minified (README, Install).
  sourcemap: false,
  clean: true,
  target: 'node20',
  splitting: true,
  treeshake: true,
  // import.meta.url in the CJS build (worker path).
  shims: true,
  // Optional peers stay external: the core install never pulls them in.
  external: ['ioredis', 'natural'],
  // any-ascii ships ESM only: bundle it so that the CJS build loads on every Node 20.
  noExternal: ['any-ascii'],
})
