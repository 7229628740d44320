/**
 * A headless Chromium that `npm ci` alone provides: the binary shipped, brotli-compressed,
 * inside the @sparticuz/chromium package, unpacked once into node_modules/.cache. Nothing from
 * the system's browser is used: the NSS libraries it links come from the same package (its
 * Amazon Linux set) and are put first on LD_LIBRARY_PATH.
 *
 * The package unpacks into os.tmpdir() and reads its environment when imported, so the unpacking
 * runs in a child process with TMPDIR pointing at a fresh folder, which is then renamed into
 * place: two test files starting at once never see a half-written binary. A checkout that
 * cannot be written after `npm ci` (read-only) unpacks it into the temporary folder instead,
 * once per user.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { childBound } from './childBound.js';

const IN_CHECKOUT = resolve('node_modules/.cache/vmmsim-chromium');

export const CHROMIUM_CACHE = existsSync(IN_CHECKOUT) || canMakeIn(IN_CHECKOUT) ? IN_CHECKOUT : join(tmpdir(), `vmmsim-chromium-${process.getuid?.() ?? 0}`);

/** Whether path could be made: its nearest existing ancestor is a folder this user may write. */
function canMakeIn(path: string): boolean {
  let at = dirname(path);
  while (!existsSync(at) && dirname(at) !== at) at = dirname(at);
  try {
    accessSync(at, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export interface NpmChromium {
  executablePath: string;
  args: string[];
  env: Record<string, string>;
}

/** The flags this closed network needs (no background connections) on top of headless basics. */
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const UNPACK = `
const { default: chromium } = await import('@sparticuz/chromium');
process.stdout.write(await chromium.executablePath());
`;

export function npmChromium(): NpmChromium {
  const executablePath = join(CHROMIUM_CACHE, 'chromium');
  if (!existsSync(executablePath)) unpack();
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return {
    executablePath,
    args: ARGS,
    env: {
      ...env,
      LD_LIBRARY_PATH: [join(CHROMIUM_CACHE, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_PATH: join(CHROMIUM_CACHE, 'fonts'),
    },
  };
}

function unpack(): void {
  mkdirSync(dirname(CHROMIUM_CACHE), { recursive: true });
  const staging = mkdtempSync(`${CHROMIUM_CACHE}-`);
  // AWS_LAMBDA_JS_RUNTIME makes the package unpack its own NSS libraries (al2023/lib) too.
  const path = execFileSync(process.execPath, ['--input-type=module', '-e', UNPACK], {
    env: { ...process.env, TMPDIR: staging, AWS_LAMBDA_JS_RUNTIME: 'nodejs20.x' },
    encoding: 'utf8',
    ...childBound(),
  });
  if (path !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked to ${path}, expected ${staging}`);
  // The package's fonts.conf names /tmp/fonts; point one at the fonts unpacked here.
  writeFileSync(join(staging, 'fonts', 'fonts.conf'), fontsConf(join(CHROMIUM_CACHE, 'fonts')));
  try {
    renameSync(staging, CHROMIUM_CACHE);
  } catch {
    // Another test file unpacked it first.
    rmSync(staging, { recursive: true, force: true });
  }
}

function fontsConf(fontsDir: string): string {
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>${join(fontsDir, 'fonts')}</dir>
  <!-- The machine's fonts too, where it has any (symbols Open Sans lacks: ○ ● ✕). -->
  <dir>/usr/share/fonts</dir>
  <cachedir>${join(fontsDir, 'cache')}</cachedir>
</fontconfig>
`;
}
