import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CloneReady } from '../../functions/publish-endpoint/handler.js';
import type { RefreshResult } from '../../functions/refresh/handler.js';
import { TAG, tagValue } from '../../functions/shared/tags.js';
import { type FakeAws, SOURCE } from '../support/fake-aws/index.js';
import {
  choiceTargets,
  clustersOf,
  everythingRecorded,
  failureStates,
  pollLimit,
} from '../support/refresh.js';
import {
  causeMessage,
  type ExecutionResult,
  runStateMachine,
  STATE_MACHINE_ARNS,
} from '../support/workflow.js';
import { artifact, useFakeAws } from './env.js';
import {
  CLONE,
  COMMITTED_REACHES,
  FAILURES,
  type MadeClone,
  OLD,
  REFUSALS,
  REFUSED_PATH,
} from './refresh-cases.js';

const HOUR = 3_600_000;
const REFRESH_ARN = `${STATE_MACHINE_ARNS.refresh.replace(':stateMachine:', ':execution:')}:refresh-1`;
/** The clone's secret: SECRET_PREFIX and the clone id. */
const SECRET = `dbaf/${CLONE}`;
/** The clone's TTL schedule, as the fake keys it: its group, then its name (the clone id). */
const SCHEDULE = `dbaf/${CLONE}`;
const MUTATING = /^(Delete|Modify|Create|Restore|Authorize|Put|Update|Add|Tag)/;

/** Makes the clone the refresh keeps fresh, with the clone state machine. */
async function makeClone(aws: FakeAws): Promise<MadeClone & { ready: CloneReady }> {
  const made = await runStateMachine('clone', artifact());
  expect(made.status, made.cause).toBe('SUCCEEDED');
  const secret = aws.state.secrets.get(SECRET)?.secretString ?? '';
  return {
    ready: made.output as CloneReady,
    executionArn: tagValue(aws.state.clusters.get(CLONE)?.tags, TAG.executionArn) ?? '',
    secret,
    password: JSON.parse(secret).password,
  };
}

/** Runs the refresh state machine as a refresh schedule does. */
function refresh(): Promise<ExecutionResult> {
  return runStateMachine(
    'refresh',
    { artifact: artifact(), reason: 'scheduled' },
    { executionName: 'refresh-1' },
  );
}

/** The clone's clusters, `old` being the clone's and `new` the refresh's. */
function clusters(aws: FakeAws, clone: MadeClone | undefined): string[] {
  return clustersOf(aws.state, CLONE, { [clone?.executionArn ?? '-']: 'old', [REFRESH_ARN]: 'new' });
}

/** A whole second, `hours` from now: the clock the refresh then reads (frozen there). */
function travel(hours: number): number {
  const at = Math.ceil(Date.now() / 1000) * 1000 + hours * HOUR;
  vi.setSystemTime(at);
  return at;
}

const iso = (ms: number) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

describe('refreshing a clone with the refresh state machine', () => {
  const fake = useFakeAws();
  afterEach(() => {
    vi.useRealTimers();
  });

  it('puts a fresh copy under the same name, endpoint, port, secret and password, and deletes the old cluster', async () => {
    const clone = await makeClone(fake.aws);
    const eventsBefore = fake.aws.state.events.length;

    const result = await refresh();

    expect(result.status, result.cause).toBe('SUCCEEDED');
    const output = result.output as RefreshResult;
    expect(output).toMatchObject({
      cloneId: CLONE,
      reason: 'scheduled',
      endpoint: clone.ready.endpoint,
      readerEndpoint: clone.ready.readerEndpoint,
      port: clone.ready.port,
      secretArn: clone.ready.secretArn,
      replaced: OLD,
    });
    // <clone>-next took the name, with instances of its own generation; the old cluster is gone.
    expect(clusters(fake.aws, clone)).toEqual([`${CLONE} (new, available, 1 instance)`]);
    expect(output.instanceIdentifiers).toEqual([expect.stringMatching(new RegExp(`^${CLONE}-\\w{4}-1$`))]);
    expect(fake.aws.state.instances.get(output.instanceIdentifiers[0] ?? '')?.clusterId).toBe(CLONE);
    expect(fake.aws.state.instances.has(`${CLONE}-1`)).toBe(false);
    // The same secret, untouched, and the new cluster answers to its password.
    expect(fake.aws.state.secrets.get(SECRET)?.secretString).toBe(clone.secret);
    expect(fake.aws.state.clusters.get(CLONE)?.password).toBe(clone.password);
    // The old cluster went by the cluster-scoped teardown: the clone's network, secret and schedules stay.
    expect(result.children.map((child) => [child.status, child.output])).toEqual([
      ['SUCCEEDED', expect.objectContaining({ reason: 'refresh', clusterIdentifier: OLD })],
    ]);
    expect(fake.aws.state.leftovers().filter((item) => !/^(cluster|instance) /.test(item))).toEqual([
      expect.stringMatching(/^security group sg-/),
      `secret ${SECRET}`,
      `schedule ${SCHEDULE}`,
      `schedule ${SCHEDULE}.warning`,
    ]);
    expect(fake.aws.state.events.slice(eventsBefore)).toEqual([
      expect.objectContaining({ DetailType: 'Clone Refreshed', Detail: JSON.stringify(output) }),
    ]);
  });

  it('moves the TTL, its warning and every expires-at tag to a full TTL from the refresh', async () => {
    const clone = await makeClone(fake.aws);
    const now = travel(3);

    const result = await refresh();

    expect(result.status, result.cause).toBe('SUCCEEDED');
    const { expiresAt } = result.output as RefreshResult;
    expect(expiresAt).toBe(iso(now + 8 * HOUR));
    expect(Date.parse(expiresAt) - Date.parse(clone.ready.expiresAt)).toBeGreaterThanOrEqual(3 * HOUR);
    const { schedules, clusters: all, instances, secrets, securityGroups } = fake.aws.state;
    expect(schedules.get(SCHEDULE)?.expression).toBe(`at(${expiresAt.slice(0, 19)})`);
    expect(schedules.get(`${SCHEDULE}.warning`)?.expression).toBe(`at(${iso(now + 7 * HOUR).slice(0, 19)})`);
    const tagged = [
      all.get(CLONE)?.tags,
      ...[...instances.values()].filter((i) => i.clusterId === CLONE).map((instance) => instance.tags),
      secrets.get(SECRET)?.tags,
      ...[...securityGroups.values()].filter((group) => group.name === CLONE).map((group) => group.tags),
    ];
    expect(tagged.map((tags) => tagValue(tags, TAG.expiresAt))).toEqual(tagged.map(() => expiresAt));
  });

  it('makes a clone that does not exist yet with the clone state machine', async () => {
    const result = await refresh();

    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(result.visited).toEqual(['PlanRefresh', 'IsThereAClone', 'MakeClone', 'Made']);
    expect(result.children.map((child) => child.status)).toEqual(['SUCCEEDED']);
    expect(result.output).toEqual({
      cloneId: CLONE,
      reason: 'scheduled',
      made: expect.stringContaining(':dbaf-clone:'),
      clone: result.children[0]?.output,
    });
    expect(fake.aws.state.clusters.get(CLONE)?.status).toBe('available');
    expect(fake.aws.state.schedules.has(SCHEDULE)).toBe(true);
  });

  it('never puts the password in any state input or output, event or execution output', async () => {
    const clone = await makeClone(fake.aws);

    const result = await refresh();

    expect(result.status, result.cause).toBe('SUCCEEDED');
    const everything = everythingRecorded(result, fake.aws.state);
    expect(everything).toContain(OLD); // the scan does see the states' data
    expect(everything).not.toContain(clone.password);
    expect(everything).not.toContain(SOURCE.password);
  });

  it('survives every step running twice (a retry after a lost response) without renaming anything twice', async () => {
    const clone = await makeClone(fake.aws);

    const result = await runStateMachine(
      'refresh',
      { artifact: artifact(), reason: 'scheduled' },
      { executionName: 'refresh-1', invokeTwice: true },
    );

    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(clusters(fake.aws, clone)).toEqual([`${CLONE} (new, available, 1 instance)`]);
    expect(fake.aws.state.secrets.get(SECRET)?.secretString).toBe(clone.secret);
  });

  // However many RDS calls the rename takes, the rollback may look while it is under way or just done.
  it.each([
    1, 2, 3, 4, 6,
  ])('finishes instead of rolling back when the rename into place went through but its answer was lost (rename of %i RDS calls)', async (renameTicks) => {
    const clone = await makeClone(fake.aws);
    fake.aws.state.behaviour.renameTicks = renameTicks;
    // The password, the old cluster away, then the new one into place: RDS takes it, and the
    // Lambda runs out of time before it hears so (Step Functions reports States.Timeout).
    const timedOut = () => Object.assign(new Error('Task timed out'), { name: 'States.Timeout' });
    fake.aws.fail('ModifyDBClusterCommand', timedOut, { after: 2, applied: true });

    const result = await refresh();

    expect(result.status, result.cause).toBe('SUCCEEDED');
    const rollback = result.visited.indexOf('Rollback');
    expect(result.visited.slice(rollback - 1, rollback + 3)).toEqual(COMMITTED_REACHES);
    expect(result.visited).not.toContain('DeleteNewCluster');
    expect(clusters(fake.aws, clone)).toEqual([`${CLONE} (new, available, 1 instance)`]);
    expect(fake.aws.state.events.map((event) => event.DetailType)).toContain('Clone Refreshed');
  });
});

describe('a refresh that fails', () => {
  const fake = useFakeAws();
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Makes the clone unless the case has none, then the trouble; returns what was there before. */
  async function arrange(given: { noClone?: boolean; arrange: (aws: FakeAws, clone: MadeClone) => void }) {
    const clone = given.noClone ? undefined : await makeClone(fake.aws);
    given.arrange(fake.aws, clone ?? { executionArn: '-', secret: '', password: '-' });
    return { clone, calls: fake.aws.calls.length, events: fake.aws.state.events.length };
  }

  /** What every failed refresh must do: say why, announce it, keep the secret and the password. */
  function expectReported(
    result: ExecutionResult,
    before: { clone: MadeClone | undefined; events: number },
    error: string,
    announces: readonly string[] = ['Clone Refresh Failed'],
  ) {
    const { clone } = before;
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe(error);
    const { state } = fake.aws;
    const failed = { cloneId: CLONE, error, cause: causeMessage(result) };
    expect(state.events.slice(before.events)).toEqual(
      announces.map((DetailType) =>
        DetailType === 'Clone Refresh Failed'
          ? expect.objectContaining({ DetailType, Detail: JSON.stringify(failed) })
          : expect.objectContaining({ DetailType }),
      ),
    );
    const everything = everythingRecorded(result, state);
    expect(everything).not.toContain(SOURCE.password);
    if (clone === undefined) return;
    expect(everything).not.toContain(clone.password);
    // The secret keeps its value, and whatever serves under the clone's name answers to its password.
    expect(state.secrets.get(SECRET)?.secretString).toBe(clone.secret);
    const serving = state.clusters.get(CLONE);
    if (serving?.status === 'available') expect(serving.password).toBe(clone.password);
  }

  it.each(REFUSALS)('refuses $what before creating anything', async (refusal) => {
    const before = await arrange(refusal);
    travel(refusal.hoursLater ?? 0);

    const result = await refresh();

    expectReported(result, before, refusal.error);
    for (const phrase of refusal.cause) expect(causeMessage(result)).toMatch(phrase);
    expect(result.visited).toEqual(REFUSED_PATH);
    expect(fake.aws.calls.slice(before.calls).filter((name) => MUTATING.test(name))).toEqual([
      'PutEventsCommand',
    ]);
    expect(clusters(fake.aws, before.clone)).toEqual(refusal.leaves);
  });

  it.each(FAILURES)('when $what, says so and leaves what it says', async (failure) => {
    const before = await arrange(failure);

    const result = await refresh();

    expectReported(result, before, failure.error, failure.announces);
    const cause = causeMessage(result);
    for (const phrase of failure.cause) expect(cause).toMatch(phrase);
    expect(clusters(fake.aws, before.clone)).toEqual(failure.leaves);
    expect(result.visited).toEqual(expect.arrayContaining([...failure.reaches]));
    if (failure.polls) {
      const [check, choice] = failure.polls;
      expect(result.visited.filter((state) => state === check)).toHaveLength(pollLimit('refresh', choice));
    }
    if (failure.thenDelete === undefined) return;
    // The cause names the teardown that removes what is left: once the trouble is over, it does.
    expect(cause).toContain(`cloneId=${CLONE}, clusterIdentifier=${failure.thenDelete}, scope=cluster`);
    fake.aws.heal();
    const teardown = await runStateMachine('teardown', {
      cloneId: CLONE,
      clusterIdentifier: failure.thenDelete,
      scope: 'cluster',
    });
    expect(teardown.status, teardown.cause).toBe('SUCCEEDED');
    expect(fake.aws.state.clusters.has(failure.thenDelete)).toBe(false);
    expect(fake.aws.state.secrets.has(SECRET)).toBe(true);
  });

  const claimed = new Set<string>([
    ...REFUSED_PATH,
    ...COMMITTED_REACHES,
    ...FAILURES.flatMap((failure) => failure.reaches),
  ]);
  it.each([
    ...new Set([...failureStates('refresh'), 'Rollback', ...choiceTargets('refresh', 'IsSwapDone')]),
  ])('has a case that reaches %s', (state) => {
    expect(claimed).toContain(state);
  });
});
