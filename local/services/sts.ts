import { createHash } from 'node:crypto';
import type { ServiceContext, ServiceDefinition } from '../core/service.js';

const NS = 'com.amazonaws.sts';

/*
 * The project installs no STS client, and the STS client inside @aws-sdk/nested-clients models
 * only AssumeRole and AssumeRoleWithWebIdentity. GetCallerIdentity's schemas are written here in
 * the SDK's own tuple format ([3, ns, name, traits, memberNames, memberSchemas] for structures,
 * [9, ns, name, traits, input, output] for operations), from the public STS API reference.
 */
const GetCallerIdentityRequest$ = [3, NS, 'GetCallerIdentityRequest', 0, [], []];
const GetCallerIdentityResponse$ = [
  3,
  NS,
  'GetCallerIdentityResponse',
  0,
  ['UserId', 'Account', 'Arn'],
  [0, 0, 0],
];
const GetCallerIdentity$ = [
  9,
  NS,
  'GetCallerIdentity',
  0,
  () => GetCallerIdentityRequest$,
  () => GetCallerIdentityResponse$,
];

/** The schema module the codec reads STS's shapes from. */
export const stsSchemas: Record<string, unknown> = {
  GetCallerIdentity$,
  GetCallerIdentityRequest$,
  GetCallerIdentityResponse$,
};

/**
 * AWS STS (awsQuery): GetCallerIdentity only, answering as the IAM user `local` of the
 * stand-in's account, so `aws sts get-caller-identity` and account lookups work.
 */
export function stsService(context: ServiceContext): ServiceDefinition {
  const { account } = context;
  // IAM user ids are AIDA plus 17 upper-case characters; derive a stable one from the account.
  const userId = `AIDA${createHash('sha256').update(account.accountId).digest('hex').slice(0, 17).toUpperCase()}`;
  return {
    id: 'sts',
    protocol: 'query',
    sdk: stsSchemas,
    xmlNamespace: 'https://sts.amazonaws.com/doc/2011-06-15/',
    version: '2011-06-15',
    operations: {
      GetCallerIdentity: () => ({
        UserId: userId,
        Account: account.accountId,
        Arn: `arn:aws:iam::${account.accountId}:user/local`,
      }),
    },
  };
}
