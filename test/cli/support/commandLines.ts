// fast-check arbitraries for vmmsim command lines: every command, its flags given or not, with
// good values (kept small, so runs are short) or bad ones, and files of every shape.
import fc from 'fast-check';

const BAD_VALUES = ['', 'banana', '-1', '0', '1e309', '99999999999999999999', '0x10', '3.5', 'NaN', '∞', 'ｔｅｎ', ' 7', '--json', '1,000'];

/** A flag's value: usually good, sometimes any of the bad ones, sometimes random text. */
function value(good: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof({ weight: 5, arbitrary: good }, { weight: 2, arbitrary: fc.constantFrom(...BAD_VALUES) }, { weight: 1, arbitrary: fc.string({ maxLength: 12 }) });
}

/** Optional flags: each present or not, in a random order. */
function flags(entries: Record<string, fc.Arbitrary<readonly string[]>>): fc.Arbitrary<string[]> {
  return fc.tuple(...Object.values(entries).map((arb) => fc.option(arb, { nil: undefined, freq: 2 })))
    .chain((chosen) => fc.shuffledSubarray(chosen.filter((c): c is readonly string[] => c !== undefined), { minLength: 0 }))
    .map((parts) => parts.flat());
}

export interface Paths {
  file: (names: string[]) => fc.Arbitrary<string>;
  named: (name: string) => string;
  /** Output paths: a fresh one (good), a directory, under a file, empty, an existing file. */
  output: fc.Arbitrary<string>;
  outputDir: fc.Arbitrary<string>;
}

export function commandLine(paths: Paths): fc.Arbitrary<string[]> {
  const traces = paths.file(['trace.valid', 'trace.truncated', 'trace.noEnd', 'trace.tamperedCheckpoint', 'trace.wrongType', 'trace.hugeRepeat', 'trace.hugeSteps',
    'trace.version1', 'trace.version99', 'trace.array', 'trace.empty', 'trace.json', 'trace.nonUtf8', 'a-directory', 'a-fifo', 'missing', 'scenario.valid.mjs']);
  const scenarios = paths.file(['scenario.valid.mjs', 'scenario.vms0.mjs', 'scenario.vms10000.mjs', 'scenario.irq16.mjs', 'scenario.number.mjs', 'scenario.noDefault.mjs',
    'scenario.throwsAtLoad.mjs', 'scenario.syntax.mjs', 'scenario.procThrows.mjs', 'scenario.invariantThrows.mjs', 'scenario.runaway.mjs', 'scenario.badProcName.mjs',
    'scenario.violates.mjs', 'scenario.nonUtf8.mjs', 'scenario.asyncProc.mjs', 'scenario.stateThrows.mjs', 'scenario.stateLoops.mjs',
    'scenario.throwsUnprintable.mjs', 'scenario.invariantLoops.mjs', 'scenario.invariantGarbage.mjs', 'a-directory', 'a-fifo', 'missing', 'trace.valid']);
  const machine = {
    seed: fc.tuple(fc.constant<string>('--seed'), value(fc.oneof(fc.integer({ min: 0, max: 1000 }).map(String), fc.constant('random')))),
    vms: fc.tuple(fc.constant<string>('--vms'), value(fc.integer({ min: 1, max: 6 }).map(String))),
    scenario: fc.tuple(fc.constant<string>('--scenario'), scenarios),
    handles: fc.tuple(fc.constant<string>('--handles'), value(fc.constantFrom('checked', 'pooled'))),
    latitude: fc.constant<string[]>(['--latitude']),
    trace: fc.oneof(fc.tuple(fc.constant<string>('--trace'), paths.output), fc.constant<string[]>(['--no-trace'])),
    vmmOnly: fc.constant<string[]>(['--vmm-only']),
    watchdog: fc.tuple(fc.constant<string>('--watchdog'), value(fc.constantFrom('1s', '500ms', '2'))),
    json: fc.constant<string[]>(['--json']),
  };
  const threadFlags = {
    fault: fc.tuple(fc.constant<string>('--fault'), value(fc.constantFrom('crash:vm2@100ms', 'exit:pic@100ms', 'crash:vmm@start', 'hang:vm1@stop'))),
    log: fc.tuple(fc.constant<string>('--log'), paths.output),
    irqScale: fc.tuple(fc.constant<string>('--irq-scale'), value(fc.constantFrom('1', '0.5', '4'))),
    threadLayout: fc.tuple(fc.constant<string>('--thread-layout'), value(fc.constantFrom('auto', 'split', 'shared'))),
  };
  const runSim = fc.tuple(fc.constant(['run', '--runtime', 'sim']), flags({
    ...machine, steps: fc.tuple(fc.constant<string>('--steps'), value(fc.integer({ min: 1, max: 400 }).map(String))),
    // Not for the simulator: must be refused.
    duration: fc.tuple(fc.constant<string>('--duration'), fc.constantFrom('1s', 'banana')),
    fault: threadFlags.fault,
  })).map(([a, b]) => [...a, ...b]);
  const runThreads = fc.tuple(fc.constant(['run', '--duration', '300ms']), flags({
    ...machine, ...threadFlags, steps: fc.tuple(fc.constant<string>('--steps'), fc.constant('50')),
  })).map(([a, b]) => [...a, ...b]);
  const stress = fc.tuple(fc.constant(['stress', '--duration']), value(fc.constantFrom('300ms', '200ms')), flags({ ...machine, ...threadFlags, progress: fc.constant<string[]>(['--no-progress']) }))
    .map(([a, d, b]) => [...a, d, ...b]);
  const replay = fc.tuple(fc.constant<string>('replay'), traces, flags({
    json: machine.json, context: fc.tuple(fc.constant<string>('--context'), value(fc.integer({ min: 0, max: 50 }).map(String))), watchdog: machine.watchdog,
  })).map(([c, t, f]) => [c, t, ...f]);
  const trace = fc.tuple(fc.constant<string>('trace'), traces, flags({
    format: fc.tuple(fc.constant<string>('--format'), value(fc.constantFrom('chrome', 'html'))),
    output: fc.tuple(fc.constant<string>('-o'), paths.output),
    window: fc.tuple(fc.constant<string>('--window'), value(fc.integer({ min: 1, max: 100 }).map(String))),
    from: fc.tuple(fc.constant<string>('--from'), value(fc.integer({ min: 0, max: 100 }).map(String))),
    watchdog: machine.watchdog,
  })).map(([c, t, f]) => [c, t, ...f]);
  const explore = fc.tuple(fc.constant<string>('explore'), fc.option(fc.oneof(scenarios, fc.constant('default')), { nil: undefined }), flags({
    iterations: fc.tuple(fc.constant<string>('--iterations'), value(fc.integer({ min: 1, max: 15 }).map(String))),
    steps: fc.tuple(fc.constant<string>('--steps'), value(fc.integer({ min: 1, max: 120 }).map(String))),
    strategy: fc.tuple(fc.constant<string>('--strategy'), value(fc.constantFrom('random', 'pct', 'dfs'))),
    irqBudget: fc.tuple(fc.constant<string>('--irq-budget'), value(fc.integer({ min: 0, max: 20 }).map(String))),
    out: fc.tuple(fc.constant<string>('--out'), paths.outputDir),
    vms: machine.vms, json: machine.json, noShrink: fc.constant<string[]>(['--no-shrink']),
  })).map(([c, s, f]) => [c, ...(s === undefined ? [] : [s]), ...f]);
  // bench runs for a minute: only its bad outputs, refused before any work.
  const bench = fc.tuple(fc.constant(['bench', '--quick', '--out']), fc.constantFrom('trace.valid', 'underAFile').map((n) => n)).map(([a, n]) => [...a, n]);
  const junk = fc.array(fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('--help', 'run', '--runtime', '--out', 'worker', '-o', '--version')), { maxLength: 5 })
    .filter((argv) => !(argv[0] === 'run' && argv.length === 1) && argv[0] !== 'stress' && argv[0] !== 'bench');
  return fc.oneof(
    { weight: 6, arbitrary: runSim }, { weight: 1, arbitrary: runThreads }, { weight: 1, arbitrary: stress },
    { weight: 5, arbitrary: replay }, { weight: 2, arbitrary: trace }, { weight: 3, arbitrary: explore }, { weight: 2, arbitrary: junk },
    { weight: 1, arbitrary: bench.map((argv) => [...argv.slice(0, -1), paths.named(argv[argv.length - 1]!)]) },
  );
}
