import { describe, expect, it } from 'vitest';
import { readDefinition, WORKFLOW_NAMES } from '../../state-machines/catalog.js';
import { BUILD_TIMING } from '../../state-machines/source/build.js';
import { DEFINITIONS } from '../../state-machines/source/index.js';
import { pollBoundSeconds } from '../../state-machines/source/poll.js';
import { RENAME_TIMING } from '../../state-machines/source/refresh.js';
import { DELETION_TIMING } from '../../state-machines/source/teardown.js';

type Definition = { TimeoutSeconds?: number; States: Record<string, unknown> };
const file = (name: (typeof WORKFLOW_NAMES)[number]) => JSON.parse(readDefinition(name)) as Definition;

describe.each(WORKFLOW_NAMES)('state-machines/%s.asl.json', (name) => {
  it('is exactly what its source in state-machines/source/ writes (run "npm run asl" after editing it)', () => {
    expect(file(name)).toEqual(DEFINITIONS[name]());
  });

  it('has an execution timeout', () => {
    expect(file(name).TimeoutSeconds).toBeGreaterThan(0);
  });
});

describe('the build path shared by the clone and the refresh', () => {
  const clone = file('clone').States;
  const refresh = file('refresh').States;
  const loopStates = ['Cluster', 'Instances', 'Password'].flatMap((subject) => [
    `Start${subject}Checks`,
    `WaitFor${subject}`,
    `Check${subject}`,
    `Poll${subject}Again`,
  ]);

  it.each(loopStates.concat('IsClusterAvailable'))('%s is the same state in both workflows', (state) => {
    expect(clone[state]).toBeDefined();
    expect(refresh[state]).toEqual(clone[state]);
  });

  it('differs only in how the password is set (fresh or kept) and where the build leads (publish or swap)', () => {
    const next = (states: Record<string, unknown>, choice: string) =>
      (states[choice] as { Choices: { Next: string }[] }).Choices[0]?.Next;
    expect(next(clone, 'AreInstancesAvailable')).toBe('ResetPassword');
    expect(next(refresh, 'AreInstancesAvailable')).toBe('CopyPassword');
    expect(next(clone, 'IsPasswordApplied')).toBe('PublishEndpoint');
    expect(next(refresh, 'IsPasswordApplied')).toBe('RetireOldCluster');
  });
});

describe('the execution timeouts', () => {
  const timeout = (name: (typeof WORKFLOW_NAMES)[number]) => file(name).TimeoutSeconds ?? 0;
  const sum = (...seconds: number[]) => seconds.reduce((a, b) => a + b, 0);

  it("let the clone's and the teardown's wait loops run out before the execution does", () => {
    expect(timeout('clone')).toBeGreaterThan(sum(...Object.values(BUILD_TIMING).map(pollBoundSeconds)));
    expect(timeout('teardown')).toBeGreaterThan(pollBoundSeconds(DELETION_TIMING));
  });

  it('let a refresh wait for the clone workflow it starts, or build, swap and delete the old cluster', () => {
    const build = sum(
      ...Object.values(BUILD_TIMING).map(pollBoundSeconds),
      2 * pollBoundSeconds(RENAME_TIMING),
    );
    expect(timeout('refresh')).toBeGreaterThan(timeout('clone'));
    expect(timeout('refresh')).toBeGreaterThan(build + timeout('teardown'));
  });
});
