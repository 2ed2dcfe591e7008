import { DescribeStacksCommand, type Output } from '@aws-sdk/client-cloudformation';
import {
  type OutputSettings,
  outputSettingsOf,
  readSettingOutputs,
  SETTING_DEFAULTS,
  WIRING,
} from '../functions/shared/settings/index.js';
import { DEFAULT_STACK_NAME, STACK_OUTPUTS } from '../infra/lib/outputs.js';
import type { Aws } from './aws.js';
import { EXIT, UserError } from './errors.js';

/**
 * What the CLI needs to know about the deployment it drives: its resources, and the settings the
 * stack outputs (`cloneNamePrefix`, `defaultTtl`, `maxTtl`, `expiryWarning`, `maxLifetime`,
 * `protectedClones`: those with an `output` in the settings table).
 */
export interface Deployment extends OutputSettings {
  /** The stack read, or undefined when the state machines were given explicitly. */
  readonly stackName: string | undefined;
  readonly cloneStateMachineArn: string;
  readonly teardownStateMachineArn: string;
  /** Undefined when the state machines were given by ARN without `--refresh-state-machine`. */
  readonly refreshStateMachineArn: string | undefined;
  /** Undefined when the state machines were given by ARN without `--operations-state-machine`. */
  readonly operationsStateMachineArn: string | undefined;
  readonly scheduleGroupName: string;
  /** The role refresh schedules run as. */
  readonly schedulerRoleArn: string;
  readonly secretPrefix: string;
}

/**
 * The settings assumed when the state machines are given by ARN: the CDK construct's defaults,
 * and the stand-in's schedule group (a CDK deployment's group name is generated: read the stack).
 */
export const DEFAULT_SETTINGS: OutputSettings & {
  readonly scheduleGroupName: string;
  readonly secretPrefix: string;
} = {
  scheduleGroupName: WIRING.scheduleGroupName.default,
  secretPrefix: WIRING.secretPrefix.default,
  ...outputSettingsOf(SETTING_DEFAULTS),
};

const STATE_MACHINE_ARN = /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/;

function checkArn(arn: string, option: string): string {
  if (!STATE_MACHINE_ARN.test(arn)) {
    throw new UserError(
      `${option} "${arn}" is not a state machine ARN (arn:aws:states:REGION:ACCOUNT:stateMachine:NAME).`,
      EXIT.usage,
    );
  }
  return arn;
}

function isMissingStack(error: unknown): boolean {
  return error instanceof Error && error.name === 'ValidationError' && /does not exist/.test(error.message);
}

/**
 * Finds the deployment: the state machines given with `--clone-state-machine` and
 * `--teardown-state-machine` (with the construct's default settings), or the outputs of the stack
 * (`--stack`, default `DbArtifactFactory`) read with one CloudFormation DescribeStacks call.
 */
export async function findDeployment(aws: Aws): Promise<Deployment> {
  const { cloneStateMachine, teardownStateMachine } = aws.options;
  if (cloneStateMachine !== undefined || teardownStateMachine !== undefined) {
    if (cloneStateMachine === undefined || teardownStateMachine === undefined) {
      throw new UserError(
        'Give both --clone-state-machine and --teardown-state-machine, or neither (to read them from the stack).',
        EXIT.usage,
      );
    }
    return {
      stackName: undefined,
      cloneStateMachineArn: checkArn(cloneStateMachine, '--clone-state-machine'),
      teardownStateMachineArn: checkArn(teardownStateMachine, '--teardown-state-machine'),
      refreshStateMachineArn:
        aws.options.refreshStateMachine === undefined
          ? undefined
          : checkArn(aws.options.refreshStateMachine, '--refresh-state-machine'),
      operationsStateMachineArn:
        aws.options.operationsStateMachine === undefined
          ? undefined
          : checkArn(aws.options.operationsStateMachine, '--operations-state-machine'),
      ...DEFAULT_SETTINGS,
      // The stand-in's role; a CDK deployment's is generated (read the stack instead).
      schedulerRoleArn: `arn:aws:iam::${cloneStateMachine.split(':')[4]}:role/dbaf-scheduler`,
    };
  }
  const stackName = aws.options.stack ?? DEFAULT_STACK_NAME;
  const answer = await aws.cloudFormation
    .send(new DescribeStacksCommand({ StackName: stackName }))
    .catch(async (error: unknown) => {
      if (!isMissingStack(error)) throw error;
      const region = await aws.region().catch(() => aws.target.region);
      throw new UserError(
        `Stack "${stackName}" was not found in ${region ?? 'this region'}${aws.target.local ? ' of the local stand-in' : ''}. ` +
          'Deploy it with "npx cdk deploy", pass --stack <name> (or --region) if it is elsewhere, or give the state machines with --clone-state-machine and --teardown-state-machine.',
        EXIT.notFound,
        { cause: error },
      );
    });
  return fromOutputs(stackName, answer.Stacks?.[0]?.Outputs ?? []);
}

/** The deployment that a stack's outputs describe; a stack without them must be redeployed. */
export function fromOutputs(stackName: string, outputs: readonly Output[]): Deployment {
  const values = new Map(outputs.map((output) => [output.OutputKey, output.OutputValue]));
  const missing = Object.values(STACK_OUTPUTS).filter((key) => !values.get(key));
  if (missing.length > 0) {
    throw new UserError(
      `Stack "${stackName}" has no output ${missing.join(', ')}: it is not a db-artifact-factory stack, or an older version of it. ` +
        'Redeploy it with "npx cdk deploy", or pass --stack <name>.',
      EXIT.notFound,
    );
  }
  const value = (key: keyof typeof STACK_OUTPUTS) => values.get(STACK_OUTPUTS[key]) ?? '';
  const settings = readSettingOutputs((outputKey) => values.get(outputKey) ?? '');
  if (settings.problems.length > 0) {
    throw new UserError(
      `Stack "${stackName}" has outputs dbaf cannot read: ${settings.problems.join(' ')} Redeploy it with "npx cdk deploy", or pass --stack <name>.`,
      EXIT.notFound,
    );
  }
  return {
    stackName,
    cloneStateMachineArn: value('cloneStateMachineArn'),
    teardownStateMachineArn: value('teardownStateMachineArn'),
    refreshStateMachineArn: value('refreshStateMachineArn'),
    operationsStateMachineArn: value('operationsStateMachineArn'),
    scheduleGroupName: value('scheduleGroupName'),
    schedulerRoleArn: value('schedulerRoleArn'),
    secretPrefix: value('secretPrefix'),
    ...settings.values,
  };
}

/** The ARN of the execution `name` of a state machine. */
export function executionArnOf(stateMachineArn: string, name: string): string {
  return `${stateMachineArn.replace(':stateMachine:', ':execution:')}:${name}`;
}
