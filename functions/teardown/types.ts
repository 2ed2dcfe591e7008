import type { TeardownRequest } from '../shared/plan.js';

/** The teardown state machine's states, in the order it runs them. */
export const TEARDOWN_STEPS = ['discover', 'schedule', 'instances', 'cluster', 'network', 'secret'] as const;

/** One state of the teardown state machine; each calls the same Lambda with its own `step`. */
export type TeardownStep = (typeof TEARDOWN_STEPS)[number];

/** A step that deletes something (every step but `discover`). */
export type DeletingStep = Exclude<TeardownStep, 'discover'>;

/** What the teardown Lambda takes: the request plus the state that calls it. */
export type TeardownInput = TeardownRequest & { readonly step: TeardownStep };

/**
 * What each deleting step did, as the state machine sees it.
 *
 * Returned on every call, including repeats, so a retried state reads the same shape
 * whether the first attempt or this one removed the resource.
 */
export interface StepResult {
  readonly step: DeletingStep;
  /** Names or ids this call deleted (or started deleting). */
  readonly deleted: string[];
  /** True when there was nothing left for this step to delete (gone, or already being deleted). */
  readonly alreadyGone: boolean;
  /** Rollback only: resources left alone because another execution created them. */
  readonly skipped: string[];
}

/**
 * What exists of a clone right now, before anything is deleted.
 *
 * The state machine records it in the execution history so a person can see what the
 * teardown found; optional values are `null` so JSONPath references resolve.
 */
export interface Discovery {
  readonly cloneId: string;
  /** The cluster this teardown deletes: the clone's, or a refresh's (`clusterIdentifier`). */
  readonly clusterIdentifier: string;
  /** Clusters a refresh of the clone left beside it, deleted with it (whole-clone teardowns only). */
  readonly refreshClusters: string[];
  readonly cluster: { readonly status: string } | null;
  readonly instanceIdentifiers: string[];
  readonly subnetGroup: string | null;
  readonly securityGroupIds: string[];
  readonly secretArn: string | null;
  /** The TTL schedule's name. */
  readonly schedule: string | null;
  /** The warning schedule's name (`<cloneId>.warning`): none once it has fired, or when there was to be none. */
  readonly warningSchedule: string | null;
}
