/** The vmmsim executable: the program (program.ts) on this process's arguments. */
import { main } from './program.js';

// A reader that stops early (`vmmsim replay t.json | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

process.exitCode = await main(process.argv.slice(2));
