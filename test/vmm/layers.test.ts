// The core's layers (src/vmm/layers.ts, README "How it is built"): every file of src/vmm is in
// exactly one layer, imports (values and types alike) go only to its own layer or below, the
// import graph has no circle, and the core imports nothing outside src/vmm but src/shared.
// Imports are read with the TypeScript parser, so every form counts: `import type`, multi-line
// imports, `export … from`, `import('…').T` in a type, and dynamic `import()`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { LAYERS } from '../../src/vmm/layers.js';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');
const CORE = join(SRC, 'vmm');

/** Every module specifier a file's source names, in order. */
function importsOf(fileName: string, source: string): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] !== undefined && ts.isStringLiteral(node.arguments[0])) {
      found.push(node.arguments[0].text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

function coreFiles(dir = CORE): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return coreFiles(path);
    return name.endsWith('.ts') ? [relative(CORE, path)] : [];
  });
}

/** A relative specifier as a path under src (`x.js` is `x.ts`, a folder its index.ts); undefined for packages and node: modules. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(join(CORE, from)), specifier).replace(/\.js$/, '');
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (existsSync(candidate)) return relative(SRC, candidate);
  throw new Error(`${from} imports ${specifier}, which is no file`);
}

interface Graph {
  /** File (relative to src/vmm) → the src/vmm files it imports. */
  readonly edges: ReadonlyMap<string, readonly string[]>;
  /** "file imports specifier" for every import leaving src/vmm for anything but src/shared. */
  readonly outside: readonly string[];
}

function readGraph(sources: ReadonlyMap<string, string>): Graph {
  const edges = new Map<string, string[]>();
  const outside: string[] = [];
  for (const [file, source] of sources) {
    const targets: string[] = [];
    for (const specifier of importsOf(file, source)) {
      const target = resolveSpecifier(file, specifier);
      if (target === undefined) outside.push(`${file} imports ${specifier}`);
      else if (target.startsWith('vmm/')) targets.push(target.slice('vmm/'.length));
      else if (!target.startsWith('shared/')) outside.push(`${file} imports ${specifier}`);
    }
    edges.set(file, targets);
  }
  return { edges, outside };
}

/** The import circles (strongly connected components of more than one file, or a file importing itself), each sorted. */
function circles(edges: ReadonlyMap<string, readonly string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const connect = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) connect(v);
  return found;
}

/** "a (layer) imports b (higher layer)" for every import that goes up. */
function upwardImports(edges: ReadonlyMap<string, readonly string[]>, layerOf: ReadonlyMap<string, number>): string[] {
  const up: string[] = [];
  for (const [file, targets] of edges) {
    for (const target of targets) {
      if (layerOf.get(target)! > layerOf.get(file)!) {
        up.push(`${file} (${LAYERS[layerOf.get(file)!]!.name}) imports ${target} (${LAYERS[layerOf.get(target)!]!.name})`);
      }
    }
  }
  return up;
}

const files = coreFiles().sort();
const sources = new Map(files.map((file) => [file, readFileSync(join(CORE, file), 'utf8')]));
const layerOf = new Map<string, number>();
LAYERS.forEach((layer, at) => layer.files.forEach((file) => layerOf.set(file, at)));

describe('the import reader', () => {
  it('finds every form of import: type-only, multi-line, re-exports, import types and dynamic imports', () => {
    const source = [
      "import type { Vmm } from '../vmm.js';",
      'import {',
      '  a,',
      '  type B,',
      "} from './multi.js';",
      "import * as rec from '../records.js';",
      "import './sideEffect.js';",
      "export { x } from './reexport.js';",
      "export type * from './types.js';",
      "let t: import('./inline.js').T;",
      "const m = await import('./dynamic.js');",
      "// import { no } from './comment.js';",
      "const s = \"import { no } from './string.js'\";",
    ].join('\n');
    expect(importsOf('x.ts', source)).toEqual([
      '../vmm.js', './multi.js', '../records.js', './sideEffect.js', './reexport.js', './types.js', './inline.js', './dynamic.js',
    ]);
  });

  it('finds a circle and an upward import in a graph that has them, and none in one that has not', () => {
    const layered = new Map([['machine.ts', ['vm.ts']], ['vm.ts', []], ['vmm.ts', ['machine.ts']]]);
    expect(circles(layered)).toEqual([]);
    const circled = new Map([...layered, ['vm.ts', ['vmm.ts']]]);
    expect(circles(circled)).toEqual([['machine.ts', 'vm.ts', 'vmm.ts']]);
    expect(upwardImports(circled, layerOf)).toEqual(['vm.ts (vocabulary) imports vmm.ts (step)']);
  });
});

describe('the layers of src/vmm', () => {
  const graph = readGraph(sources);

  it('place every file of src/vmm in exactly one layer, and name no file that does not exist', () => {
    const placed = LAYERS.flatMap((layer) => layer.files);
    expect(placed.filter((file, at) => placed.indexOf(file) !== at)).toEqual([]);
    expect(files.filter((file) => !layerOf.has(file))).toEqual([]);
    expect(placed.filter((file) => !sources.has(file))).toEqual([]);
  });

  it('have no import circle, counting type imports', () => {
    expect(circles(graph.edges)).toEqual([]);
  });

  it('import only from their own layer or below', () => {
    expect(upwardImports(graph.edges, layerOf)).toEqual([]);
  });

  it('keep the core pure: nothing is imported from outside src/vmm but src/shared (no package, no node: module)', () => {
    expect(graph.outside).toEqual([]);
  });

  it('read the imports the services used to make a circle with: a service importing the Vmm class would go up three layers', () => {
    const withVmm = new Map(sources);
    withVmm.set('services/boost.ts', `import type { Vmm } from '../vmm.js';\n${sources.get('services/boost.ts')!}`);
    const edges = readGraph(withVmm).edges;
    expect(upwardImports(edges, layerOf)).toEqual(['services/boost.ts (services) imports vmm.ts (step)']);
    expect(circles(edges).length).toBe(1);
  });
});
