/** The files `vmmsim bench --out DIR` writes into DIR (each checked before the measurements start). */
export const BENCH_FILES = ['bench.json', 'bench.md', 'bench.svg'] as const;
