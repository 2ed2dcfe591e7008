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

interface Fault {
  command: string;
  error: () => Error;
  times: number;
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
    const guard = (name: string) => this.guard(name);
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
    this.faults.push({ command, error, times });
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

  private guard(name: string): void {
    this.calls.push(name);
    const fault = this.faults.find((f) => f.command === name && f.times > 0);
    if (!fault) return;
    fault.times -= 1;
    throw fault.error();
  }
}
