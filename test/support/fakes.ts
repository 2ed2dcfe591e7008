import { EC2Client } from '@aws-sdk/client-ec2';
import { RDSClient } from '@aws-sdk/client-rds';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { expect } from 'vitest';
import { Clock } from '../../local/core/clock.js';
import { Faults } from '../../local/core/faults.js';
import { AwsServer } from '../../local/core/server.js';
import type { ServiceContext } from '../../local/core/service.js';
import { Account } from '../../local/core/state.js';
import { ec2Service } from '../../local/services/ec2.js';
import { rdsService } from '../../local/services/rds/index.js';
import { schedulerService } from '../../local/services/scheduler.js';
import { secretsService } from '../../local/services/secrets.js';
import { ACCOUNT, FakeAws, type FakeState, REGION } from './fake-aws/index.js';
import { noDataPlane, seedLikeTheFake } from './standin-account.js';

/**
 * The two fakes of one AWS account side by side, seeded alike, behind the same SDK clients: the
 * workflow tests' fake (`test/support/fake-aws/`) and the stand-in's own services
 * (`local/services/`, over HTTP, without PostgreSQL), so a test can send both the same requests
 * and check that they answer alike.
 */
export interface Side {
  readonly name: 'the workflow tests’ fake' | 'the stand-in';
  readonly rds: RDSClient;
  readonly ec2: EC2Client;
  readonly secrets: SecretsManagerClient;
  readonly scheduler: SchedulerClient;
  /** Sets the region's `DBClusters` quota. */
  setClusterQuota(max: number): void;
  /** Lets a little AWS time pass: the stand-in's clock runs by itself, the fake's moves with each RDS call. */
  pause(): Promise<void>;
  close(): Promise<void>;
}

const CLIENT = {
  region: REGION,
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  maxAttempts: 1,
};

/** How fast resources change: `slow` leaves room for several requests while one is in progress. */
export interface Pace {
  /** @default false */
  readonly slow?: boolean;
}

/** The workflow tests' fake: aws-sdk-client-mock over the in-memory state. */
async function fakeSide(pace: Pace): Promise<Side> {
  const aws = new FakeAws();
  const state: FakeState = aws.state;
  if (pace.slow) {
    // Fifty RDS calls per lifecycle step instead of one or two.
    Object.assign(state.behaviour, { clusterTicks: 50, instanceTicks: 50, renameTicks: 50, deleteTicks: 50 });
  }
  return {
    name: 'the workflow tests’ fake',
    rds: new RDSClient(CLIENT),
    ec2: new EC2Client(CLIENT),
    secrets: new SecretsManagerClient(CLIENT),
    scheduler: new SchedulerClient(CLIENT),
    setClusterQuota: (max) => {
      state.clusterQuota = max;
    },
    pause: async () => undefined,
    close: async () => aws.restore(),
  };
}

/**
 * AWS time runs this much faster on the stand-in side: a 4-minute restore takes 0.24 s, a 1-minute
 * rename 60 ms; when slow, ten times longer, room for dozens of requests while one is in progress.
 */
const STAND_IN_SCALE = { fast: 0.001, slow: 0.01 } as const;

/** The stand-in's services on a free loopback port, without PostgreSQL. */
async function standInSide(pace: Pace): Promise<Side> {
  const clock = new Clock(pace.slow ? STAND_IN_SCALE.slow : STAND_IN_SCALE.fast);
  const account = new Account(REGION, ACCOUNT);
  const faults = new Faults(clock);
  const context: ServiceContext = {
    account,
    clock,
    faults,
    log: () => undefined,
    startExecution: async (arn) => ({ executionArn: `${arn}:run` }),
  };
  seedLikeTheFake(account);
  const server = new AwsServer({
    services: [
      rdsService(context, noDataPlane()),
      ec2Service(context),
      secretsService(context),
      schedulerService(context),
    ],
    faults,
    log: () => undefined,
    control: async () => ({}),
  });
  const port = await server.listen('127.0.0.1', 0);
  const config = { ...CLIENT, endpoint: `http://127.0.0.1:${port}` };
  return {
    name: 'the stand-in',
    rds: new RDSClient(config),
    ec2: new EC2Client(config),
    secrets: new SecretsManagerClient(config),
    scheduler: new SchedulerClient(config),
    setClusterQuota: (max) => {
      account.data.quotas.DBClusters = max;
    },
    // Five real milliseconds are five AWS seconds: far shorter than any lifecycle step.
    pause: () => new Promise((resolve) => setTimeout(resolve, 5)),
    close: async () => {
      clock.shutdown();
      await server.close();
    },
  };
}

/** What a request got: its output, or the error's name and message as the SDK raised it. */
export type Answer<T> = { readonly ok: T } | { readonly error: string; readonly message: string };

/** Awaits a request and keeps what it answered, error or not. */
export async function answer<T>(request: Promise<T>): Promise<Answer<T>> {
  try {
    return { ok: await request };
  } catch (error) {
    const { name, message } = error as Error;
    return { error: name, message };
  }
}

/**
 * Runs `scenario` on a fresh account of each fake, one after the other (the fake mocks the SDK
 * clients while it lives), checks that both give the same result, and returns it.
 */
export async function bothAnswer<T>(scenario: (side: Side) => Promise<T>, pace: Pace = {}): Promise<T> {
  const results: T[] = [];
  for (const start of [fakeSide, standInSide]) {
    const side = await start(pace);
    try {
      results.push(await scenario(side));
    } finally {
      await side.close();
    }
  }
  const [fake, standIn] = results as [T, T];
  expect(standIn, 'the stand-in answers as the workflow tests’ fake does').toEqual(fake);
  return fake;
}
