/**
 * What the checker reports and how a rule reports it: shared by the checker and every rule, in
 * a file of its own so that the rules import it from below instead of from the checker that
 * imports them.
 */
export interface Violation {
  kind: string;
  severity: 'device' | 'vmm';
  message: string;
  seq: number;
  ticks: number;
  device?: string;
  handle?: number;
}

/** How a rule reports a broken invariant (a VMM bug): called only when one is found. */
export type Report = (violation: Omit<Violation, 'severity'>) => void;
