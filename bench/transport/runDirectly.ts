// Lets each bench module be both imported (by main.ts / a future `vmmsim bench`) and
// run on its own: `node dist/bench/transport/wakeRtt.js` or `npx tsx bench/transport/wakeRtt.ts`.
import { realpathSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Whether the module at importMetaUrl is the process's entry point (paths with spaces included). */
export function isEntryModule(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === importMetaUrl;
  } catch {
    return false;
  }
}

/** If the calling module is the process entry point, runs measure() and prints its result as JSON. */
export function runIfEntry(importMetaUrl: string, measure: () => Promise<unknown>): void {
  if (!isEntryModule(importMetaUrl)) return;
  measure().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
