/**
 * vmmsim as a library: what a user's scenario module imports to write simulated VxDs and the
 * machine they run on (`import { defineDevice, defineScenario, PEF } from 'vmmsim'`), and the
 * simulated runtime for driving a scenario from code.
 */
export { defineDevice } from './vmm/device.js';
export type { DeviceExports, DeviceImports, DeviceProc, DeviceSpec, IrqDescriptor, PriorityEventRequest, Ring0, Slot } from './vmm/device.js';
export { defineScenario } from './scenario/scenario.js';
export type { LifecycleStep, RunView, Scenario, ScenarioInvariant, VmView } from './scenario/scenario.js';
export { Boost, PEF, VPICD_OPT, TICKS_PER_MS } from './vmm/constants.js';
export { BUILTIN_DEVICES, disk, display, dosmgr, keyboard, mouse, serial, timer } from './devices/index.js';
export { ClientRegOffset, ClientRegs } from './shared/clientRegs.js';
export type { ClientOp } from './vmm/clientOps.js';
export type { HistoryRecord } from './vmm/history.js';
export type { Violation } from './vmm/checker/checker.js';
export type { VmmConfig } from './vmm/config.js';
export { runSim, type SimRunOptions, type SimRunResult } from './actors/sim/simRun.js';
export { simulate, replayTrace, defaultStrategy } from './actors/sim/simulate.js';
export { readTraceFile, readTraceLines, traceLines, writeTraceFile, TraceFormatError, type TraceLine } from './shared/traceFile.js';
export { replayTraceFile } from './actors/sim/replay.js';
