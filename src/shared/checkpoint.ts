/** Records between two checkpoints of the decision log (see vmm/checkpoints.ts). */
export const CHECKPOINT_RECORDS = 1024;
