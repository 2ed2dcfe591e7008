import * as sdk from '@aws-sdk/client-ec2';
import { AwsError } from '../core/errors.js';
import {
  bindOperations,
  type Operation,
  type ServiceContext,
  type ServiceDefinition,
} from '../core/service.js';
import { describeOperations } from './ec2-describe.js';
import { groupOperations } from './ec2-groups.js';
import { seedNetwork } from './ec2-network.js';
import { tagOperations } from './ec2-tags.js';

export { type SeededNetwork, seedNetwork } from './ec2-network.js';

/**
 * Amazon EC2 (ec2Query): the network the clones need: VPCs, subnets, availability zones and
 * security groups with their ingress rules and tags, answered with EC2's error codes.
 *
 * The actions live by concern: `ec2-describe.ts` (zones, VPCs, subnets), `ec2-groups.ts`
 * (security groups and their rules), `ec2-tags.ts` (tags).
 */
export function ec2Service(context: ServiceContext): ServiceDefinition {
  seedNetwork(context.account);
  const operations = bindOperations(context, {
    ...describeOperations,
    ...groupOperations,
    ...tagOperations,
  });
  return {
    id: 'ec2',
    protocol: 'ec2',
    sdk,
    xmlNamespace: 'http://ec2.amazonaws.com/doc/2016-11-15/',
    version: '2016-11-15',
    operations: withDryRun(operations),
  };
}

/** EC2's DryRun: every action answers DryRunOperation (412) instead of acting. */
function withDryRun(operations: Record<string, Operation>): Record<string, Operation> {
  return Object.fromEntries(
    Object.entries(operations).map(([action, operation]) => [
      action,
      (input: { DryRun?: boolean }, request) => {
        if (input?.DryRun) {
          throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
        }
        return operation(input, request);
      },
    ]),
  );
}
