import { AwsError } from '../../core/errors.js';

// biome-ignore lint/suspicious/noExplicitAny: SDK clients and commands are looked up by name
type AnyModule = Record<string, any>;

/** The SDK v3 module and client class of each service an `aws-sdk:` task may name. */
const MODULES: Record<string, { load: () => Promise<AnyModule>; client: string }> = {
  rds: { load: () => import('@aws-sdk/client-rds'), client: 'RDSClient' },
  ec2: { load: () => import('@aws-sdk/client-ec2'), client: 'EC2Client' },
  secretsmanager: { load: () => import('@aws-sdk/client-secrets-manager'), client: 'SecretsManagerClient' },
  scheduler: { load: () => import('@aws-sdk/client-scheduler'), client: 'SchedulerClient' },
  eventbridge: { load: () => import('@aws-sdk/client-eventbridge'), client: 'EventBridgeClient' },
  sfn: { load: () => import('@aws-sdk/client-sfn'), client: 'SFNClient' },
};

const clients = new Map<string, { send(command: unknown): Promise<unknown> }>();

/**
 * Runs `arn:aws:states:::aws-sdk:<service>:<action>` as Step Functions does: the SDK command
 * of that action with the task's (PascalCase) parameters, against the stand-in itself.
 */
export async function sdkCall(
  endpoint: string,
  region: string,
  service: string,
  action: string,
  parameters: unknown,
) {
  const entry = MODULES[service];
  if (!entry)
    throw new AwsError('States.Runtime', `The local stand-in does not integrate aws-sdk:${service}.`);
  const module = await entry.load();
  const Command = module[`${action.charAt(0).toUpperCase()}${action.slice(1)}Command`];
  if (!Command) throw new AwsError('States.Runtime', `aws-sdk:${service} has no action ${action}.`);
  const key = `${endpoint} ${service}`;
  let client = clients.get(key);
  if (!client) {
    client = new module[entry.client]({ endpoint, region }) as { send(command: unknown): Promise<unknown> };
    clients.set(key, client);
  }
  const { $metadata: _metadata, ...output } = (await client.send(new Command(parameters ?? {}))) as Record<
    string,
    unknown
  >;
  return JSON.parse(JSON.stringify(output));
}
