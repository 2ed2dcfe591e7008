import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { STSClient } from '@aws-sdk/client-sts';
import { DEFAULT_STACK_NAME } from '../infra/lib/outputs.js';
import type { Target } from './errors.js';

/** The options every command takes (`dbaf --help`). */
export interface GlobalOptions {
  /** AWS profile of the shared config files. @default the standard credential chain */
  readonly profile?: string;
  /** @default AWS_REGION, then the profile's region */
  readonly region?: string;
  /** Talk to the local stand-in: its endpoint, region us-east-1 and placeholder credentials. */
  readonly local?: boolean;
  /** Send every AWS call here (the stand-in, or a VPC endpoint). @default AWS_ENDPOINT_URL when --local */
  readonly endpointUrl?: string;
  /** The deployed stack whose outputs name the state machines. @default DbArtifactFactory */
  readonly stack?: string;
  /** The clone state machine's ARN, instead of reading the stack. */
  readonly cloneStateMachine?: string;
  /** The teardown state machine's ARN, instead of reading the stack. */
  readonly teardownStateMachine?: string;
  /** The refresh state machine's ARN, with the two above (for `dbaf reset`). */
  readonly refreshStateMachine?: string;
  /** The operations state machine's ARN, with the two above (for extend and the refresh schedules). */
  readonly operationsStateMachine?: string;
  /** Print details (AWS request ids, stack traces) with errors. */
  readonly verbose?: boolean;
}

/** Where `npm run local` and `dbaf local up` listen by default. */
export const LOCAL_ENDPOINT = 'http://127.0.0.1:4566';
/** The stand-in's region. */
export const LOCAL_REGION = 'us-east-1';

/**
 * The AWS clients of one command, made on first use from the global options.
 *
 * Against AWS the SDK's standard credential chain and region lookup apply (environment,
 * `--profile`, SSO, instance roles); `--local` sets the stand-in's endpoint, region and
 * placeholder credentials and changes nothing else.
 */
export class Aws {
  /** Where the calls go, for error messages. */
  readonly target: Target;
  private readonly config: Record<string, unknown>;
  private readonly made = new Map<string, unknown>();

  constructor(readonly options: GlobalOptions) {
    const local = options.local === true;
    const endpoint =
      options.endpointUrl ?? (local ? (process.env.AWS_ENDPOINT_URL ?? LOCAL_ENDPOINT) : undefined);
    const region = options.region ?? (local ? LOCAL_REGION : undefined);
    this.config = {
      ...(region === undefined ? {} : { region }),
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(options.profile === undefined ? {} : { profile: options.profile }),
      ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    };
    this.target = {
      region: region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION,
      endpoint: endpoint ?? process.env.AWS_ENDPOINT_URL,
      local,
      profile: options.profile,
    };
  }

  get sfn(): SFNClient {
    return this.client('sfn', SFNClient);
  }

  get rds(): RDSClient {
    return this.client('rds', RDSClient);
  }

  get ec2(): EC2Client {
    return this.client('ec2', EC2Client);
  }

  get secrets(): SecretsManagerClient {
    return this.client('secrets', SecretsManagerClient);
  }

  get scheduler(): SchedulerClient {
    return this.client('scheduler', SchedulerClient);
  }

  get cloudFormation(): CloudFormationClient {
    return this.client('cloudformation', CloudFormationClient);
  }

  get sts(): STSClient {
    return this.client('sts', STSClient);
  }

  /**
   * `npx dbaf` with the options that pick this deployment (`--local`, `--profile`, `--region`,
   * `--stack`...), to print follow-up commands a user can paste.
   */
  command(rest: string): string {
    const {
      local,
      profile,
      region,
      endpointUrl,
      stack,
      cloneStateMachine,
      teardownStateMachine,
      refreshStateMachine,
      operationsStateMachine,
    } = this.options;
    // Values from the environment (DBAF_*) stay there; only what was typed is repeated.
    const typed = (value: string | undefined, variable: string) =>
      value === undefined || value === process.env[variable] ? undefined : value;
    const flags = [
      local ? '--local' : undefined,
      profile === undefined ? undefined : `--profile ${profile}`,
      region === undefined ? undefined : `--region ${region}`,
      endpointUrl === undefined ? undefined : `--endpoint-url ${endpointUrl}`,
      typed(stack, 'DBAF_STACK') === undefined || stack === DEFAULT_STACK_NAME
        ? undefined
        : `--stack ${stack}`,
      typed(cloneStateMachine, 'DBAF_CLONE_STATE_MACHINE_ARN') === undefined
        ? undefined
        : `--clone-state-machine ${cloneStateMachine}`,
      typed(teardownStateMachine, 'DBAF_TEARDOWN_STATE_MACHINE_ARN') === undefined
        ? undefined
        : `--teardown-state-machine ${teardownStateMachine}`,
      typed(refreshStateMachine, 'DBAF_REFRESH_STATE_MACHINE_ARN') === undefined
        ? undefined
        : `--refresh-state-machine ${refreshStateMachine}`,
      typed(operationsStateMachine, 'DBAF_OPERATIONS_STATE_MACHINE_ARN') === undefined
        ? undefined
        : `--operations-state-machine ${operationsStateMachine}`,
    ].filter((flag) => flag !== undefined);
    return ['npx dbaf', ...flags, rest].join(' ');
  }

  /** The region the clients use, once one of them has resolved it. */
  async region(): Promise<string> {
    return this.sfn.config.region();
  }

  private client<T>(key: string, Client: new (config: Record<string, unknown>) => T): T {
    let client = this.made.get(key) as T | undefined;
    if (client === undefined) {
      client = new Client(this.config);
      this.made.set(key, client);
    }
    return client;
  }
}
