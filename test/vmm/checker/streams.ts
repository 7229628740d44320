/**
 * Hand-made history streams for the checker's tests: records without their place in the stream
 * (`check` numbers them), each helper one record kind with correct defaults.
 */
import { ClientRegs } from '../../../src/shared/clientRegs.js';
import { InvariantChecker } from '../../../src/vmm/checker/checker.js';
import type { At, HistoryKind, HistoryRecord, RecordOf, VmSnapshot } from '../../../src/vmm/history.js';
import { VmState } from '../../../src/vmm/vm.js';

export type Body<K extends HistoryKind> = Omit<RecordOf<K>, 'k' | keyof At>;
export type Where = Partial<Omit<At, 'seq'>>;

export const VM1 = new VmState(1, ClientRegs.allocate(false)).handle;
export const VM2 = new VmState(2, ClientRegs.allocate(false)).handle;

/** A record without its place in the stream (seq is its index; ticks default to 10 × seq). */
export function rec<K extends HistoryKind>(k: K, body: Body<K>, where: Where = {}): Partial<HistoryRecord> {
  return { k, vm: 1, ctx: 'vmm', reenter: 0, ...body, ...where } as unknown as Partial<HistoryRecord>;
}

export const SNAPSHOT: VmSnapshot = { vif: true, pm: false, nestedExec: false, simulatingHwInt: false, critFree: true, priority: 0 };

export const scheduled = (handle: number, over: Partial<Body<'scheduled'>> = {}, where: Where = {}) => rec('scheduled', {
  kind: 'global', service: 'Schedule_Global_Event', handle, callback: 'dev.cb', refData: 0, targetVm: 0, boost: 0,
  flags: 0, deadlineTicks: -1, latitude: false, state: null, ...over,
}, where);
export const dispatch = (handle: number, over: Partial<Body<'dispatch'>> = {}, where: Where = {}) => rec('dispatch', {
  kind: 'global', handle, callback: 'dev.cb', refData: 0, targetVm: 0, inline: handle === 0, timedOut: false, carry: over.timedOut ?? false, ebx: VM1,
  flags: 0, state: null, ...over,
}, where);
export const ret = (handle: number, where: Where = {}) => rec('return', { handle, callback: 'dev.cb', clobbered: [] }, where);
export const begin = (where: Where = {}) => rec('processBegin', {}, where);
export const end = (dispatched: number, where: Where = {}) => rec('processEnd', { dispatched, cut: false }, where);
export const service = (name: Body<'service'>['service'], where: Where = {}) => rec('service', { service: name, device: 'dev' }, where);
export const result = (name: Body<'serviceResult'>['service'], esi: number, where: Where = {}) => rec('serviceResult', { service: name, esi }, where);
export const calledNow = (over: Partial<Body<'calledNow'>> = {}, where: Where = {}) => rec('calledNow', {
  kind: 'global', service: 'Call_Global_Event', callback: 'dev.cb', refData: 0, targetVm: 0, ...over,
}, where);
export const cancel = (handle: number, outcome: Body<'cancel'>['outcome'], kind: Body<'cancel'>['kind'] = 'global') => rec('cancel', {
  kind, handle, outcome, victimKind: outcome === 'cancelled' ? kind : null, victimHandle: handle, device: 'dev', inCallbackOf: 0,
});
export const boost = (handle: number, delta: number, reason: string, targetVm = 1) => rec('boost', { targetVm, delta, reason, handle });
export const taskSwitch = (from: number, to: number, where: Where = {}) => rec('taskSwitch', { from, to }, where);

// Frames: the checker derives where the CPU is from these records alone.
export const irqIn = (irq = 4, nested = false) => rec('irqEnter', { irq, nested });
export const irqOut = (irq = 4) => rec('irqExit', { irq, claimedBy: 'dev' });
export const eoi = (irq = 4) => rec('eoi', { irq });
export const trap = () => rec('clientOp', { op: { op: 'trap', device: 0, entry: 0, arg: 0 } });
export const trapRet = () => rec('trapReturn', {});
export const op = (o: Body<'clientOp'>['op']) => rec('clientOp', { op: o });
/** Records made inside a Hw_Int_Proc that interrupted a trap handler (re-enter count 1). */
export const nestedIrq = (...inner: Partial<HistoryRecord>[]) => [trap(), irqIn(4, true), ...inner, irqOut(), trapRet()];
export const virtRequest = (irq: number, targetVm = 1, set = true) => rec('virtRequest', { op: set ? 'set' : 'clear', irq, targetVm });
export const virtInt = (irq: number, targetVm = 1) => rec('virtInt', { irq, targetVm });
export const virtEoi = (irq: number, targetVm = 1) => rec('virtEoi', { irq, targetVm });
export const critical = (o: Body<'critical'>['op'], owner: number, count: number) => rec('critical', { op: o, owner, count });
export const CSB = 0x100000;

/** A scheduled global event run at a processing point: the correct pattern. */
export const globalRun = (handle: number) => [scheduled(handle), begin(), dispatch(handle), ret(handle), end(1)];

export function check(stream: Partial<HistoryRecord>[]) {
  const checker = new InvariantChecker();
  stream.forEach((r, seq) => checker.onRecord({ ticks: seq * 10, ...r, seq } as HistoryRecord));
  checker.finish();
  return checker;
}

export const H = 0x30000;
export const H2 = 0x50001;

