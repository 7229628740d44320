/**
 * The VMM actor: the one thread where every Call_/Schedule_/Cancel_ decision is made, handles
 * are allocated and cancelled, and callbacks run (in the current VM, without a task switch).
 * All ring-0 device code runs here, serially, exactly as in the simulated runtime; the other
 * actors only feed it (client ops, raised IRQs). See vmmRun.ts for the loop.
 */
import { runFaultOf } from '../runFault.js';
import { loadScenario } from '../../scenario/load.js';
import { actorContext, exposeApi } from './actorContext.js';
import { warmUpCore } from './coreWarmUp.js';
import type { VmmActorApi, VmmDone, VmmReady, VmmSetup, VmmStats } from './protocol.js';
import { placeThisThread, VmmPlacement } from './threadLayout.js';
import { VmmRun } from './vmmRun.js';
import { setUpScenarioThread } from '../../shared/scenarioThread.js';

export function startVmmActor(): void {
  // This thread writes no command output: a print of the scenario's goes to stderr.
  setUpScenarioThread();
  const context = actorContext();
  let run: VmmRun | null = null;
  const api: VmmActorApi = {
    async configure(setup: VmmSetup): Promise<VmmReady> {
      // Placed first: the warm-up below compiles the core on the CPU the run will use.
      const placed = setup.layout !== null && placeThisThread(setup.layout.vmmCpus);
      // Giving the layout up is the orchestrator's to do: this thread does not wait for a taskset.
      const placement = new VmmPlacement(setup.layout, placed, (cpus) => context.report({ t: 'releaseLayout', cpus }));
      const scenario = await loadScenario(setup.scenario);
      warmUpCore(setup.warmUpSteps, scenario.mix, { ...setup.config, sharedMemory: true });
      try {
        run = new VmmRun(setup, scenario, context.report, context.log, placement);
      } catch (error) {
        // Device code threw at boot (Device_Init, ...): with its file:line:column, as at a step.
        const fault = runFaultOf(error);
        if (fault !== null && error instanceof Error) error.message = fault.message;
        throw error;
      }
      run.postInitialChunk();
      return { clientRegs: run.clientRegBuffers() };
    },
    async start(): Promise<VmmDone> {
      if (run === null) throw new Error('vmm actor started before it was configured');
      try {
        return await run.run();
      } catch (error) {
        context.fail(error);
        throw error;
      }
    },
    stop(): void {
      run?.stop();
    },
    stats(): VmmStats {
      if (run === null) throw new Error('vmm actor asked for stats before it was configured');
      return run.stats();
    },
  };
  exposeApi(api);
}
