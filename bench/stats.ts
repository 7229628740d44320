/** A figure measured several times: its median and its spread. */
export interface Repeated {
  median: number;
  min: number;
  max: number;
  samples: number[];
}

export function repeated(samples: readonly number[]): Repeated {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, samples: [...samples] };
}

export async function repeat(times: number, measure: () => Promise<number>): Promise<Repeated> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) samples.push(await measure());
  return repeated(samples);
}
