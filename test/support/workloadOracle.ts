/**
 * The client workload and its generator as first written: unsigned sfc32 words, and each op
 * picked by float arithmetic on [0, total). The definition the fast ones (src/shared/rng.ts,
 * src/actors/workload.ts) are held to: the same seed and mix must give the same op stream.
 */
import type { EntryPoint, WorkloadMix } from '../../src/actors/workload.js';
import type { ClientOp } from '../../src/vmm/clientOps.js';

export class OracleRng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const mix = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  float(): number {
    return this.nextU32() / 4294967296;
  }

  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }
}

export class OracleWorkload {
  private vif = true;
  private pm = false;
  private masked = 0;
  private readonly total: number;

  constructor(
    private readonly rng: OracleRng,
    private readonly entries: readonly EntryPoint[],
    private readonly mix: WorkloadMix,
    private readonly irqs: readonly number[],
  ) {
    this.total = mix.run + (entries.length > 0 ? mix.trap : 0) + mix.interruptFlag + mix.iret + mix.eoi + (irqs.length > 0 ? mix.mask : 0) + mix.mode;
  }

  next(): ClientOp {
    const rng = this.rng;
    const mix = this.mix;
    if (!this.vif && rng.chance(0.5)) return this.setIf(true);
    if (this.masked !== 0 && rng.chance(0.25)) return this.setMask(31 - Math.clz32(this.masked), false);
    let pick = rng.float() * this.total;
    if ((pick -= mix.run) < 0) return { op: 'run', ticks: 1 + rng.int(mix.runTicksMean * 2) };
    const entries = this.entries;
    if (entries.length > 0 && (pick -= mix.trap) < 0) {
      const target = entries[rng.int(entries.length)]!;
      return { op: 'trap', device: target.device, entry: target.entry, arg: rng.int(0x10000) };
    }
    if ((pick -= mix.interruptFlag) < 0) return this.setIf(!this.vif);
    if ((pick -= mix.iret) < 0) return { op: 'iret' };
    if ((pick -= mix.eoi) < 0) return { op: 'eoi' };
    if (this.irqs.length > 0 && (pick -= mix.mask) < 0) {
      const irq = this.irqs[rng.int(this.irqs.length)]!;
      return this.setMask(irq, (this.masked & (1 << irq)) === 0);
    }
    this.pm = !this.pm;
    return { op: 'mode', pm: this.pm };
  }

  private setMask(irq: number, masked: boolean): ClientOp {
    this.masked = masked ? this.masked | (1 << irq) : this.masked & ~(1 << irq);
    return { op: 'mask', irq, masked };
  }

  private setIf(enabled: boolean): ClientOp {
    this.vif = enabled;
    return { op: enabled ? 'sti' : 'cli' };
  }
}
