import { Token } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import {
  checkEntries,
  describeIssue,
  list,
  PROP_SUBJECTS,
  RULES,
  SETTINGS,
  type SettingProps,
  type SettingValues,
  text,
} from '../../functions/shared/settings/index.js';
import {
  type RefreshScheduleProps,
  type ResolvedRefreshSchedule,
  resolveRefreshSchedules,
} from './refresh-schedules.js';

export { ALLOWED_SOURCES_HINT, sourceClusterId } from '../../functions/shared/settings/index.js';
export type { RefreshScheduleProps } from './refresh-schedules.js';

/**
 * Settings of one db-artifact-factory deployment.
 *
 * Only `allowedSources` is required. The deployment settings (`allowedSources`, `defaultTtl`, ...
 * `sweeperSchedule`) come from the settings table (`functions/shared/settings/table.ts`), which
 * documents each with its default; the props below are the construct's own. Everything is checked
 * when the construct is created, so a bad value fails `cdk synth` with a message naming the prop,
 * never a deployment.
 */
export interface CloneFactoryProps extends SettingProps {
  /**
   * E-mail address subscribed to a new SNS topic that the failed-executions alarm notifies.
   * @default - no e-mail subscription
   */
  readonly notificationEmail?: string;

  /**
   * An existing SNS topic the failed-executions alarm notifies, instead of a new one.
   * @default - a new topic when `notificationEmail` is set, otherwise the alarm notifies nobody
   */
  readonly notificationTopic?: ITopic;

  /**
   * Customer managed KMS keys that encrypt the allowed sources (or their snapshots). A clone is
   * encrypted with its source's key, so RDS must create grants on it for the restore.
   * @default - none: sources encrypted with the AWS managed key `aws/rds` need nothing
   */
  readonly sourceKmsKeyArns?: readonly string[];

  /**
   * Named clones kept fresh from their source on a schedule (for example every weekday at 06:00
   * in the team's time zone): one EventBridge Scheduler schedule `<clone>.refresh` each, which
   * starts the refresh state machine. The first run makes the clone if it does not exist. The
   * CLI's `dbaf schedule-refresh` makes the same schedules.
   * @default - none
   */
  readonly refreshSchedules?: readonly RefreshScheduleProps[];

  /**
   * How long the Lambda and state machine logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;
}

/** The props after validation, with every default applied. */
export interface ResolvedSettings extends SettingValues {
  readonly notificationEmail: string | undefined;
  readonly notificationTopic: ITopic | undefined;
  readonly sourceKmsKeyArns: readonly string[];
  readonly refreshSchedules: readonly ResolvedRefreshSchedule[];
}

/** Thrown by {@link resolveSettings}: every problem with the props, one per line. */
export class InvalidCloneFactoryProps extends Error {
  override readonly name = 'InvalidCloneFactoryProps';
  /** One sentence per problem, naming the prop. */
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      `CloneFactory props are invalid (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n- ${problems.join('\n- ')}`,
    );
    this.problems = problems;
  }
}

/** The default of {@link CloneFactoryProps.cloneNamePrefix}. */
export const DEFAULT_CLONE_NAME_PREFIX = SETTINGS.cloneNamePrefix.default;

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-zA-Z0-9-]+$/;

/**
 * The construct's own props that are plain values, checked (and read from context) like the
 * settings; they are not for the handlers nor the stand-in.
 */
export const CONSTRUCT_SETTINGS = {
  notificationEmail: {
    kind: text({ pattern: EMAIL, optional: true, error: 'is not an e-mail address' }),
    default: '',
  },
  sourceKmsKeyArns: {
    kind: list({
      item: (arn) =>
        KMS_KEY_ARN.test(arn)
          ? undefined
          : 'is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID; aliases cannot be used in IAM policies)',
    }),
    default: [] as readonly string[],
  },
} as const;

/**
 * Checks the props and applies the defaults: the settings against the table's rules, the
 * construct's own props, and the sweeper's schedule.
 *
 * @throws InvalidCloneFactoryProps listing every problem at once.
 */
export function resolveSettings(props: CloneFactoryProps): ResolvedSettings {
  const opaque = (value: unknown) => Token.isUnresolved(value);
  const settings = checkEntries(SETTINGS, props, { level: 'schema', rules: RULES, opaque });
  const own = checkEntries(CONSTRUCT_SETTINGS, props, { level: 'schema', opaque });
  const problems = [...settings.issues, ...own.issues].map((issue) => describeIssue(issue, PROP_SUBJECTS));
  if (props.notificationEmail !== undefined && props.notificationTopic !== undefined) {
    problems.push(
      'notificationEmail and notificationTopic are both set; give one: subscribe the address to your topic yourself.',
    );
  }
  const refreshSchedules = resolveRefreshSchedules(
    props.refreshSchedules ?? [],
    {
      cloneNamePrefix: props.cloneNamePrefix ?? DEFAULT_CLONE_NAME_PREFIX,
      allowedSources: props.allowedSources ?? [],
    },
    problems,
  );
  if (problems.length > 0) throw new InvalidCloneFactoryProps(problems);
  return {
    ...settings.values,
    notificationEmail: own.values.notificationEmail || undefined,
    notificationTopic: props.notificationTopic,
    sourceKmsKeyArns: own.values.sourceKmsKeyArns,
    refreshSchedules,
  };
}
