import type { HandleMode } from './eventTable.js';

/** What a run of the core is configured with; every field has a documented default. */
export interface VmmConfig {
  /** Number of VMs at start, the system VM included. */
  vms: number;
  /** `checked`: stale handles are detected; `pooled`: they hit whatever event reuses the node. */
  handleMode: HandleMode;
  /** SPEC §3 "The VMM's latitude": a Call_XX_Event that may run now can be scheduled instead. */
  latitude: boolean;
  /** Dispatches in one processing pass before an event chain counts as a livelock. */
  livelockBound: number;
  /** Virtual microseconds before the time slicer moves Cur_Run_VM_Boost on. */
  timesliceTicks: number;
  /** Event nodes in the pool. */
  eventPoolSize: number;
  /** Put Client_Reg_Structs and device slots in SharedArrayBuffers (the threaded runtime). */
  sharedMemory: boolean;
}

export const DEFAULT_VMM_CONFIG: VmmConfig = {
  vms: 4,
  handleMode: 'checked',
  latitude: false,
  livelockBound: 1000,
  timesliceTicks: 2000,
  eventPoolSize: 4096,
  sharedMemory: false,
};

/**
 * The configuration a machine runs with: `config` over the defaults, built as one literal (every
 * field, in one order, each once) so that every machine's config has one shape whose fields
 * never change. A spread over the defaults writes a given field twice, which V8 notes by making
 * the field mutable in the shared shape: code compiled for the earlier machines then meets a
 * new shape and is thrown away (measured: in the third run of a process).
 */
export function vmmConfig(config: Partial<VmmConfig>): VmmConfig {
  // A field given (even as undefined, which the range checks then refuse) wins, as in a spread.
  const own = <K extends keyof VmmConfig>(key: K): VmmConfig[K] => (Object.hasOwn(config, key) ? config[key] as VmmConfig[K] : DEFAULT_VMM_CONFIG[key]);
  return {
    vms: own('vms'),
    handleMode: own('handleMode'),
    latitude: own('latitude'),
    livelockBound: own('livelockBound'),
    timesliceTicks: own('timesliceTicks'),
    eventPoolSize: own('eventPoolSize'),
    sharedMemory: own('sharedMemory'),
  };
}
