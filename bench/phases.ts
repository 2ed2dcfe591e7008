import { RDS_TIMING } from '../local/services/rds/timing.js';

/** A stretch of the clone workflow, between the first entries of two states. */
export interface Phase {
  readonly name: string;
  /** The state whose first entry starts the phase, or `start` for the execution's start date. */
  readonly from: string;
  /** The state whose first entry ends the phase, or `end` for the execution's stop date. */
  readonly to: string;
  /** The RDS lifecycle time (AWS milliseconds) the phase cannot be shorter than. */
  readonly floorMs: number;
}

/**
 * The clone workflow's phases and the RDS waits inside them (`local/services/rds/timing.ts`).
 *
 * Their floors add up to the floor of a whole clone: the lifecycle durations that follow one
 * another, which no orchestrator can shorten. Instances are created together, so one
 * instance's time counts whatever `instanceCount` is.
 */
export const PHASES: readonly Phase[] = [
  // StartExecution returns at once; the first state is entered when the service gets to it.
  { name: 'StartExecution → first state', from: 'start', to: 'InspectSource', floorMs: 0 },
  { name: 'inspect source, schedule TTL', from: 'InspectSource', to: 'RestoreCloneCluster', floorMs: 0 },
  {
    name: 'cluster create',
    from: 'RestoreCloneCluster',
    to: 'CreateInstances',
    floorMs: RDS_TIMING.clusterCreate,
  },
  {
    name: 'instance create + backing-up',
    from: 'CreateInstances',
    to: 'ResetPassword',
    floorMs: RDS_TIMING.instanceCreate + RDS_TIMING.instanceBackup,
  },
  { name: 'password reset', from: 'ResetPassword', to: 'PublishEndpoint', floorMs: RDS_TIMING.passwordReset },
  { name: 'publish endpoint', from: 'PublishEndpoint', to: 'end', floorMs: 0 },
];

/** The floor of one clone in AWS milliseconds: 11 minutes with the stand-in's timings. */
export const CLONE_FLOOR_MS = PHASES.reduce((sum, phase) => sum + phase.floorMs, 0);

/** Real milliseconds a phase took in one execution, if the execution got through it. */
export function phaseDuration(phase: Phase, marks: ReadonlyMap<string, number>): number | undefined {
  const from = marks.get(phase.from);
  const to = marks.get(phase.to);
  return from === undefined || to === undefined ? undefined : to - from;
}
