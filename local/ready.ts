import type { WorkflowName } from '../state-machines/catalog.js';
import { SOURCE } from './seed.js';
import type { StandIn } from './standin.js';

/**
 * What the stand-in (`local/main.ts`) sends its parent over IPC once it listens: where it is, and
 * what it plays. The CLI's launcher (`cli/launcher.ts`) waits for it; the demo, the benchmarks and
 * the end-to-end tests read it.
 */
export interface ReadyMessage {
  readonly type: 'ready';
  readonly endpoint: string;
  readonly port: number;
  /** The ARN of each of the deployment's state machines. */
  readonly stateMachines: Readonly<Record<WorkflowName, string>>;
  /** Real time per AWS time. */
  readonly timeScale: number;
  /** The seeded production cluster, and the secret of its master credentials (not a managed secret). */
  readonly source: { readonly clusterIdentifier: string; readonly secretName: string };
}

/** The ready message of a running stand-in. */
export function readyMessage(standIn: StandIn): ReadyMessage {
  return {
    type: 'ready',
    endpoint: standIn.endpoint,
    port: standIn.port,
    stateMachines: standIn.stateMachines,
    timeScale: standIn.clock.scale,
    source: { clusterIdentifier: SOURCE.id, secretName: SOURCE.secretName },
  };
}
