/**
 * The workflow catalog: the project's state machines and the Lambda handlers they call, each named
 * once. The CDK app, the local stand-in and the tests read the definitions, the handler table and
 * the placeholders from here, and fill the placeholders with {@link renderDefinition} or
 * {@link substitutionsFor}.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';

/** A Lambda handler as its module exports it. */
// biome-ignore lint/suspicious/noExplicitAny: each handler is typed by its own module
export type LambdaHandler = (input: any, context: Context) => Promise<unknown>;

/** One Lambda handler: its ASL placeholder, and its module, imported only when asked for. */
export interface HandlerEntry {
  /** The `${...}` name the ASL files use for the function's ARN. */
  readonly placeholder: string;
  /**
   * Imports `functions/<name>/handler.ts`. Lazy, so a caller can set the environment (endpoint,
   * region, settings) before the module creates its SDK clients.
   */
  readonly load: () => Promise<{ readonly handler: LambdaHandler }>;
}

/** The handlers, by their folder name under `functions/`. */
export const HANDLERS = {
  'inspect-source': {
    placeholder: 'InspectSourceFunctionArn',
    load: () => import('../functions/inspect-source/handler.js'),
  },
  'schedule-ttl-deletion': {
    placeholder: 'ScheduleTtlDeletionFunctionArn',
    load: () => import('../functions/schedule-ttl-deletion/handler.js'),
  },
  'restore-clone-cluster': {
    placeholder: 'RestoreCloneClusterFunctionArn',
    load: () => import('../functions/restore-clone-cluster/handler.js'),
  },
  'create-instance': {
    placeholder: 'CreateInstanceFunctionArn',
    load: () => import('../functions/create-instance/handler.js'),
  },
  'reset-password': {
    placeholder: 'ResetPasswordFunctionArn',
    load: () => import('../functions/reset-password/handler.js'),
  },
  'publish-endpoint': {
    placeholder: 'PublishEndpointFunctionArn',
    load: () => import('../functions/publish-endpoint/handler.js'),
  },
  'check-clone-status': {
    placeholder: 'CheckCloneStatusFunctionArn',
    load: () => import('../functions/check-clone-status/handler.js'),
  },
  teardown: { placeholder: 'TeardownFunctionArn', load: () => import('../functions/teardown/handler.js') },
  sweeper: { placeholder: 'SweeperFunctionArn', load: () => import('../functions/sweeper/handler.js') },
  refresh: { placeholder: 'RefreshFunctionArn', load: () => import('../functions/refresh/handler.js') },
  operations: {
    placeholder: 'OperationsFunctionArn',
    load: () => import('../functions/operations/handler.js'),
  },
} as const satisfies Record<string, HandlerEntry>;

/** The folder name of one handler under `functions/`. */
export type HandlerName = keyof typeof HANDLERS;

/** Every handler name, in table order. */
export const HANDLER_NAMES = Object.keys(HANDLERS) as HandlerName[];

/** One workflow: its placeholder, and the construct id it is deployed under. */
export interface WorkflowEntry {
  /** The `${...}` name the ASL files use for its ARN (a workflow that runs another names it so). */
  readonly placeholder: string;
  /** The CDK construct id of its scope (it names the deployed resources: never change it). */
  readonly constructId: string;
}

/** The workflows, by the name of their file `state-machines/<name>.asl.json`. */
export const WORKFLOWS = {
  clone: {
    placeholder: 'CloneStateMachineArn',
    constructId: 'Clone',
  },
  teardown: {
    placeholder: 'TeardownStateMachineArn',
    constructId: 'Teardown',
  },
  sweeper: {
    placeholder: 'SweeperStateMachineArn',
    constructId: 'Sweeper',
  },
  refresh: {
    placeholder: 'RefreshStateMachineArn',
    constructId: 'Refresh',
  },
  operations: {
    placeholder: 'OperationsStateMachineArn',
    constructId: 'Operations',
  },
} as const satisfies Record<string, WorkflowEntry>;

/** The name of one workflow: its file is `state-machines/<name>.asl.json`. */
export type WorkflowName = keyof typeof WORKFLOWS;

/** Every workflow name, in table order. */
export const WORKFLOW_NAMES = Object.keys(WORKFLOWS) as WorkflowName[];

/** The path of a workflow's ASL file. */
export function definitionPath(name: WorkflowName): string {
  return fileURLToPath(new URL(`./${name}.asl.json`, import.meta.url));
}

/** A workflow's ASL as written in its file, placeholders and all. */
export function readDefinition(name: WorkflowName): string {
  return readFileSync(definitionPath(name), 'utf8');
}

/** The `${...}` placeholders a definition uses, in order of first use. */
export function placeholders(definition: string): string[] {
  return [...new Set([...definition.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1] ?? ''))];
}

/** What a deployment puts in the placeholders: the ARN of each function and workflow. */
export interface DeploymentArns {
  readonly functionArn: (handler: HandlerName) => string;
  readonly stateMachineArn: (workflow: WorkflowName) => string;
}

type Placeholder = { kind: 'function'; name: HandlerName } | { kind: 'workflow'; name: WorkflowName };

const BY_PLACEHOLDER = new Map<string, Placeholder>([
  ...HANDLER_NAMES.map((name) => [HANDLERS[name].placeholder, { kind: 'function', name }] as const),
  ...WORKFLOW_NAMES.map((name) => [WORKFLOWS[name].placeholder, { kind: 'workflow', name }] as const),
]);

function resolve(workflow: WorkflowName, placeholder: string): Placeholder {
  const found = BY_PLACEHOLDER.get(placeholder);
  if (found === undefined) {
    throw new Error(
      `state-machines/${workflow}.asl.json uses \${${placeholder}}, which is neither a handler nor a workflow of state-machines/catalog.ts.`,
    );
  }
  return found;
}

/** The handlers a workflow calls: the functions its role may invoke. */
export function handlersOf(workflow: WorkflowName, definition = readDefinition(workflow)): HandlerName[] {
  return placeholders(definition).flatMap((key) => {
    const found = resolve(workflow, key);
    return found.kind === 'function' ? [found.name] : [];
  });
}

/** The workflows a workflow runs (`startExecution.sync:2`): the executions its role may start. */
export function childrenOf(workflow: WorkflowName, definition = readDefinition(workflow)): WorkflowName[] {
  return placeholders(definition).flatMap((key) => {
    const found = resolve(workflow, key);
    return found.kind === 'workflow' ? [found.name] : [];
  });
}

/**
 * Exactly the substitutions a definition uses, for CDK's `definitionSubstitutions`.
 *
 * @throws Error naming a placeholder the catalog does not know, so a new `${...}` fails synth.
 */
export function substitutionsFor(
  workflow: WorkflowName,
  arns: DeploymentArns,
  definition = readDefinition(workflow),
): Record<string, string> {
  return Object.fromEntries(
    placeholders(definition).map((key) => {
      const found = resolve(workflow, key);
      return [
        key,
        found.kind === 'function' ? arns.functionArn(found.name) : arns.stateMachineArn(found.name),
      ];
    }),
  );
}

/** A workflow's ASL with every placeholder filled: what Step Functions runs. */
export function renderDefinition(workflow: WorkflowName, arns: DeploymentArns): string {
  const definition = readDefinition(workflow);
  const values = substitutionsFor(workflow, arns, definition);
  return definition.replace(/\$\{(\w+)\}/g, (_match, key: string) => values[key] ?? '');
}

/**
 * The ARNs of a deployment that is not made by CloudFormation (the stand-in, the workflow tests):
 * functions `dbaf-<handler>` and state machines `dbaf-<workflow>` in one region and account.
 */
export function fixedArns(region: string, accountId: string): DeploymentArns {
  return {
    functionArn: (handler) => `arn:aws:lambda:${region}:${accountId}:function:dbaf-${handler}`,
    stateMachineArn: (workflow) => `arn:aws:states:${region}:${accountId}:stateMachine:dbaf-${workflow}`,
  };
}

/** The workflow a state machine ARN of {@link fixedArns} names, if any. */
export function workflowOfArn(arns: DeploymentArns, arn: string): WorkflowName | undefined {
  return WORKFLOW_NAMES.find((name) => arns.stateMachineArn(name) === arn);
}
