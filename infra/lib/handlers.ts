/**
 * The Lambda handlers the state machines call, and the ASL placeholder each one fills.
 *
 * The keys are the folder names under `functions/`; `substitution` is the `${...}` name the
 * ASL files use for that function's ARN. A test checks this table against the ASL files and
 * against the workflow tests' own table, so the three cannot drift apart.
 */
export const HANDLERS = {
  'inspect-source': { substitution: 'InspectSourceFunctionArn' },
  'schedule-ttl-deletion': { substitution: 'ScheduleTtlDeletionFunctionArn' },
  'restore-clone-cluster': { substitution: 'RestoreCloneClusterFunctionArn' },
  'create-instance': { substitution: 'CreateInstanceFunctionArn' },
  'reset-password': { substitution: 'ResetPasswordFunctionArn' },
  'publish-endpoint': { substitution: 'PublishEndpointFunctionArn' },
  'check-clone-status': { substitution: 'CheckCloneStatusFunctionArn' },
  teardown: { substitution: 'TeardownFunctionArn' },
  sweeper: { substitution: 'SweeperFunctionArn' },
  refresh: { substitution: 'RefreshFunctionArn' },
} as const;

/** The folder name of one handler under `functions/`. */
export type HandlerName = keyof typeof HANDLERS;

/** Every handler name, in table order. */
export const HANDLER_NAMES = Object.keys(HANDLERS) as HandlerName[];

/** The ASL placeholder of the teardown state machine's ARN (used by the clone machine's rollback). */
export const TEARDOWN_STATE_MACHINE_SUBSTITUTION = 'TeardownStateMachineArn';

/** The ASL placeholder of the clone state machine's ARN (the refresh makes a missing clone with it). */
export const CLONE_STATE_MACHINE_SUBSTITUTION = 'CloneStateMachineArn';

/** The handlers each state machine calls: the functions its role may invoke. */
export const STATE_MACHINE_HANDLERS = {
  clone: [
    'inspect-source',
    'schedule-ttl-deletion',
    'restore-clone-cluster',
    'create-instance',
    'reset-password',
    'publish-endpoint',
    'check-clone-status',
  ],
  teardown: ['teardown', 'check-clone-status'],
  sweeper: ['sweeper'],
  refresh: ['refresh', 'restore-clone-cluster', 'create-instance', 'check-clone-status'],
} as const satisfies Record<string, readonly HandlerName[]>;
