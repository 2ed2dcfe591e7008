import { join } from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { type PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { HANDLER_NAMES, type HandlerName } from '../../state-machines/catalog.js';
import { HANDLER_BUNDLING, HANDLER_NODE_OPTIONS, HANDLER_RUNTIME, handlerEntry } from './bundling.js';
import { acknowledgeWildcards, RUNTIME_REASON } from './nag.js';
import { REPO_ROOT } from './paths.js';

/** What {@link StepFunctions} needs to build the handlers. */
export interface StepFunctionsProps {
  /** The statements each handler's own role gets. */
  readonly statements: (name: HandlerName) => PolicyStatement[];
  /** How long each function's logs are kept. */
  readonly logRetention: RetentionDays;
}

/** A task's timeout in the ASL is 120 s: the Lambda stops first, so its own error reaches the Catch. */
const TIMEOUT = Duration.seconds(90);

/**
 * One Lambda function per handler under `functions/`, each with its own role, log group and
 * exactly the permissions that handler's AWS calls need.
 *
 * Bundled as `bundling.ts` says, which `npm run bench:bundles` measures with the same options.
 */
export class StepFunctions extends Construct {
  /** The function of each handler, by its folder name. */
  readonly functions: Readonly<Record<HandlerName, NodejsFunction>>;

  constructor(scope: Construct, id: string, props: StepFunctionsProps) {
    super(scope, id);
    const functions = {} as Record<HandlerName, NodejsFunction>;
    for (const name of HANDLER_NAMES) {
      functions[name] = this.handlerFunction(name, props);
    }
    this.functions = functions;
  }

  private handlerFunction(name: HandlerName, props: StepFunctionsProps): NodejsFunction {
    const scope = new Construct(this, name);
    const role = new Role(scope, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `db-artifact-factory ${name} step: only the calls functions/${name}/ makes`,
    });
    const statements = props.statements(name);
    for (const statement of statements) role.addToPolicy(statement);
    acknowledgeWildcards(role, statements);
    const logGroup = new LogGroup(scope, 'Logs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const fn = new NodejsFunction(scope, 'Function', {
      entry: handlerEntry(name),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      description: `db-artifact-factory ${name} step (functions/${name}/handler.ts)`,
      runtime: HANDLER_RUNTIME,
      architecture: Architecture.ARM_64,
      memorySize: 256,
      timeout: TIMEOUT,
      role,
      logGroup,
      tracing: Tracing.ACTIVE,
      // The settings come later, each function's own (CloneFactory adds them).
      environment: { NODE_OPTIONS: HANDLER_NODE_OPTIONS },
      bundling: HANDLER_BUNDLING,
    });
    logGroup.grantWrite(role);
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray tracing (xray:PutTraceSegments, xray:PutTelemetryRecords) has no resource-level permissions, and the read-only Describe and List calls (rds:Describe*, ec2:Describe*, secretsmanager:ListSecrets, scheduler:ListSchedules) accept only "*"; no mutating action has "*" (test/infra checks it).',
    });
    Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason: RUNTIME_REASON });
    return fn;
  }
}
