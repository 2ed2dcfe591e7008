import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RDSClient } from '@aws-sdk/client-rds';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import type { Stub } from './bind.js';
import { fakeEc2, fakeEvents, fakeScheduler, fakeSecrets } from './others.js';
import { fakeRds } from './rds.js';
import { fakeSfn } from './sfn.js';
import { FakeState } from './state.js';

export * from './state.js';

/** When an injected fault strikes. */
export interface FaultOptions {
  /** Calls of the command that go through first. @default 0 */
  readonly after?: number;
  /** Calls that fail, once it strikes. @default 1 */
  readonly times?: number;
  /**
   * The call takes effect and only its answer is an error, as when a response is lost on the way
   * back or the caller times out waiting for it. @default false
   */
  readonly applied?: boolean;
}

interface Fault {
  command: string;
  error: () => Error;
  after: number;
  times: number;
  applied: boolean;
}

/**
 * A small, stateful fake of the AWS account behind every SDK client the handlers
 * use. Commands the fake does not model fail loudly, so a handler that starts
 * calling something new is noticed.
 */
export class FakeAws {
  readonly state = new FakeState();
  readonly rds: Stub;
  readonly ec2: Stub;
  readonly secrets: Stub;
  readonly scheduler: Stub;
  readonly events: Stub;
  readonly sfn: Stub;
  /** Every command sent, in order, by name. */
  readonly calls: string[] = [];
  private readonly faults: Fault[] = [];

  constructor() {
    const guard = (name: string, call: () => unknown) => this.guard(name, call);
    const strict = (stub: Stub) => {
      stub.onAnyCommand().callsFake((input: unknown) => {
        throw new Error(`The fake AWS does not model this command (input ${JSON.stringify(input)})`);
      });
      return stub;
    };
    this.rds = fakeRds(strict(mockClient(RDSClient)), this.state, guard);
    this.ec2 = fakeEc2(strict(mockClient(EC2Client)), this.state, guard);
    this.secrets = fakeSecrets(strict(mockClient(SecretsManagerClient)), this.state, guard);
    this.scheduler = fakeScheduler(strict(mockClient(SchedulerClient)), this.state, guard);
    this.events = fakeEvents(strict(mockClient(EventBridgeClient)), this.state, guard);
    this.sfn = fakeSfn(strict(mockClient(SFNClient)), this.state, guard);
  }

  /** Makes the next `times` calls of `command` (its class name, e.g. `ModifyDBClusterCommand`) fail. */
  failNext(command: string, error: () => Error, times = 1): void {
    this.fail(command, error, { times });
  }

  /** Makes calls of `command` fail as `options` says: later, repeatedly, or after taking effect. */
  fail(command: string, error: () => Error, options: FaultOptions = {}): void {
    const { after = 0, times = 1, applied = false } = options;
    this.faults.push({ command, error, after, times, applied });
  }

  /**
   * Ends every injected trouble, as when a person has fixed what was wrong: pending faults, stuck
   * lifecycles, renames that were never to end (they end at the next RDS call).
   */
  heal(): void {
    this.faults.length = 0;
    this.state.behaviour.stuck.clear();
    this.state.behaviour.renameEnds.clear();
  }

  /** Count of calls sent to one command, or to every command of a service prefix list. */
  count(command: string): number {
    return this.calls.filter((name) => name === command).length;
  }

  /** Calls sent to RDS (the API whose budget is 12 requests/s per account). */
  rdsCalls(): number {
    return this.rds.calls().length;
  }

  /** Removes the mocks from the SDK clients. */
  restore(): void {
    for (const stub of [this.rds, this.ec2, this.secrets, this.scheduler, this.events, this.sfn])
      stub.restore();
  }

  private guard(name: string, call: () => unknown): unknown {
    this.calls.push(name);
    const fault = this.faults.find((f) => f.command === name && f.times > 0);
    if (fault !== undefined && fault.after > 0) {
      fault.after -= 1;
      return call();
    }
    if (fault === undefined) return call();
    fault.times -= 1;
    if (fault.applied) call();
    throw fault.error();
  }
}
