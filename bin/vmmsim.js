#!/usr/bin/env node
// The package's command: runs the compiled CLI. A packed package ships it (prepack builds it);
// in a clone, `npm ci` builds it (the `prepare` script).
import { existsSync } from 'node:fs';

const main = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('vmmsim: not built yet; run `npm ci` (or `npm run build`) first\n');
  process.exit(2);
}
await import(main.href);
