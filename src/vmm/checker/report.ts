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

/**
 * Something the user should know that is neither a device bug nor a VMM bug: the run is
 * correct, but reads differently from the real machine (a callback's restart repeating the
 * service calls it made before it blocked).
 */
export interface Warning {
  kind: string;
  message: string;
  seq: number;
  ticks: number;
  handle?: number;
}

/** How a rule reports a warning. */
export type Warn = (warning: Warning) => void;
