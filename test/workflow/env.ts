import { afterEach, beforeEach, vi } from 'vitest';
import { FakeAws } from '../support/fake-aws/index.js';
import { STATE_MACHINE_ARNS } from '../support/workflow.js';

/** The configuration every handler gets, as the CDK construct would set it. */
export const DEPLOYMENT_ENV = {
  ALLOWED_SOURCES: 'legacy-prod',
  DEFAULT_TTL: '8h',
  MAX_TTL: '7d',
  CLONE_NAME_PREFIX: 'dbaf-',
  SECRET_PREFIX: 'dbaf/',
  SCHEDULE_GROUP_NAME: 'dbaf',
  SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/dbaf-scheduler',
  TEARDOWN_STATE_MACHINE_ARN: STATE_MACHINE_ARNS.teardown,
  CLONE_STATE_MACHINE_ARN: STATE_MACHINE_ARNS.clone,
  EVENT_BUS_NAME: 'default',
} as const;

/** A typical artifact: the example a user starts from. */
export function artifact(overrides: { target?: object; lifecycle?: object; source?: object } = {}) {
  return {
    version: 1,
    source: { clusterIdentifier: 'legacy-prod', ...overrides.source },
    target: {
      cloneName: 'dbaf-legacy-prod-alice',
      instanceClass: 'db.r6g.large',
      allowedCidrs: ['10.20.0.0/16'],
      ...overrides.target,
    },
    lifecycle: { ttl: '8h', owner: 'alice@example.com', ...overrides.lifecycle },
  };
}

/** A fresh fake AWS account per test, with the deployment's environment. */
export function useFakeAws(): { readonly aws: FakeAws } {
  const holder = {} as { aws: FakeAws };
  beforeEach(() => {
    for (const [key, value] of Object.entries(DEPLOYMENT_ENV)) vi.stubEnv(key, value);
    holder.aws = new FakeAws();
  });
  afterEach(() => {
    holder.aws.restore();
    vi.unstubAllEnvs();
  });
  return holder;
}
