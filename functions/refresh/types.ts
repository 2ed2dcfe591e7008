import type { ClonePlan } from '../shared/plan.js';

/**
 * What the refresh state machine takes: the clone's artifact (which names the clone in
 * `target.cloneName`), and why it runs.
 */
export interface RefreshRequest {
  readonly artifact: unknown;
  /** `scheduled` (a refresh schedule), `reset` (`dbaf reset`), or anything a caller names. @default 'scheduled' */
  readonly reason?: string;
}

/** The names of one refresh: where the old cluster goes while the new one takes its place. */
export interface RefreshSwap {
  /** The clone's cluster before the refresh, renamed to `<cloneId>-old` and then deleted. */
  readonly retiredId: string;
}

/** What `PlanRefresh` decides. `create`: there is no clone yet, so the clone workflow makes it. */
export type RefreshPlan =
  | { readonly mode: 'create'; readonly artifact: unknown; readonly reason: string; readonly cloneId: string }
  | {
      readonly mode: 'refresh';
      readonly artifact: unknown;
      readonly reason: string;
      readonly cloneId: string;
      /** A clone plan for the new cluster: `clusterIdentifier` is `<cloneId>-next`, the network is the clone's. */
      readonly plan: ClonePlan;
      readonly swap: RefreshSwap;
    };

/** What the revert step (the rollback's first state) found and did. */
export interface RevertOutcome {
  /**
   * The new cluster already holds the clone's name (the swap finished before the failure): there
   * is nothing to put back, and the refresh goes on to finish instead.
   */
  readonly committed: boolean;
  /** The old cluster was renamed back to the clone's name: wait for it before deleting the new one. */
  readonly renamedBack: boolean;
  /** One sentence for the execution history. */
  readonly detail: string;
}

/** The refresh execution's output and the detail of its `Clone Refreshed` event. Never a password. */
export interface RefreshResult {
  readonly cloneId: string;
  readonly reason: string;
  /** Unchanged by the refresh: the clone's writer endpoint. */
  readonly endpoint: string;
  readonly readerEndpoint: string;
  readonly port: number;
  /** Unchanged by the refresh: the same secret, with the same password. */
  readonly secretArn: string;
  readonly expiresAt: string;
  readonly source: string;
  readonly owner: string;
  readonly instanceIdentifiers: readonly string[];
  /** The cluster the clone had before, now being deleted. */
  readonly replaced: string;
}
