/**
 * A scenario's lifecycle steps, checked at load against the VMs that exist when each step comes:
 * the run loop skips a step that names no live VM, so a `destroy` of VM 9 in a 2-VM scenario, of
 * the system VM, or of a VM already destroyed would silently do nothing, and the user would
 * believe a destruction was explored that never happened.
 */
import type { z } from 'zod';

/** The VMM's bound on VMs; a `create` past it is skipped by the run loop. */
const VMS_MAX = 64;

interface Step { atStep: number; op: 'destroy' | 'create' | 'focus'; vm?: number | undefined }

export function checkLifecycle(vms: number, lifecycle: readonly Step[] | undefined, ctx: z.RefinementCtx): void {
  if (lifecycle === undefined) return;
  const alive = new Set<number>();
  for (let id = 1; id <= vms; id++) alive.add(id);
  let created = vms;
  // The run loop applies the steps of one client step in their order in the array.
  const order = lifecycle.map((step, index) => ({ step, index })).sort((a, b) => a.step.atStep - b.step.atStep || a.index - b.index);
  for (const { step, index } of order) {
    const issue = (message: string): void => ctx.addIssue({ code: 'custom', path: ['lifecycle', index, 'vm'], input: step.vm, message });
    if (step.op === 'create') {
      if (created === VMS_MAX) {
        ctx.addIssue({ code: 'custom', path: ['lifecycle', index, 'op'], input: step.op, message: `a VM created at step ${step.atStep} would be VM ${VMS_MAX + 1}; the VMM has at most ${VMS_MAX}` });
        return;
      }
      alive.add(++created);
      continue;
    }
    if (step.vm === undefined) {
      issue(`${step.op} at step ${step.atStep} names no VM (give vm: an id)`);
      return;
    }
    if (!alive.has(step.vm)) {
      issue(`${step.op} at step ${step.atStep}: VM ${step.vm} ${step.vm <= created ? 'was destroyed before it' : 'does not exist then'} (the VMs then: ${describeIds(alive)})`);
      return;
    }
    if (step.op === 'destroy') {
      if (step.vm === 1) {
        issue('VM 1 is the system VM, which always exists and cannot be destroyed');
        return;
      }
      alive.delete(step.vm);
    }
  }
}

function describeIds(ids: ReadonlySet<number>): string {
  return [...ids].sort((a, b) => a - b).join(', ');
}
