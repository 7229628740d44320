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
