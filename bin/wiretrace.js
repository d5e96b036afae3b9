#!/usr/bin/env node
// The CLI is built into dist/: in a source checkout that has not been built yet, say so in one
// sentence instead of printing a module-not-found stack.
import('../dist/cli.js').then(
  (m) =>
    m.main(process.argv.slice(2)).then((code) => {
      process.exitCode = code
    }),
  (e) => {
    if (e?.code !== 'ERR_MODULE_NOT_FOUND' || !/dist[\\/]cli\.js/.test(String(e.message))) throw e
    process.stderr.write('wiretrace: the CLI is not built (dist/cli.js is missing): run npm run build first\n')
    process.exitCode = 1
  },
)
