import { afterEach, beforeEach, vi } from 'vitest';
import { eventBusArnOf } from '../../functions/shared/config.js';
import { handlerEnvironment, SETTING_DEFAULTS } from '../../functions/shared/settings/index.js';
import { HANDLER_NAMES } from '../../state-machines/catalog.js';
import { FakeAws } from '../support/fake-aws/index.js';
import { STATE_MACHINE_ARNS } from '../support/workflow.js';

/**
 * The configuration the handlers get, as the CDK construct sets it (`handlerEnvironment`), with the
 * settings' defaults: every function's variables together, since the tests run them in one process.
 */
export const DEPLOYMENT_ENV: Readonly<Record<string, string>> = Object.assign(
  {},
  ...HANDLER_NAMES.map((name) =>
    handlerEnvironment(
      name,
      { ...SETTING_DEFAULTS, allowedSources: ['legacy-prod'] },
      {
        scheduleGroupName: 'dbaf',
        schedulerRoleArn: 'arn:aws:iam::123456789012:role/dbaf-scheduler',
        teardownStateMachineArn: STATE_MACHINE_ARNS.teardown,
        cloneStateMachineArn: STATE_MACHINE_ARNS.clone,
        refreshStateMachineArn: STATE_MACHINE_ARNS.refresh,
        eventBusArn: eventBusArnOf('default', STATE_MACHINE_ARNS.teardown),
        // The test run's own level (vitest.config.ts: SILENT).
        powertoolsLogLevel: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
      },
    ),
  ),
);

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
