import type { AwsRefusal } from './refusal.js';

/**
 * EC2's error answers about security groups that both fakes give: the code (EC2 API Reference,
 * "Error codes for the Amazon EC2 API"; the SDK models none of them) and EC2's message.
 */
export const EC2_ERRORS = {
  /** A group id that names no group. */
  groupNotFound: (id: string): AwsRefusal => ({
    name: 'InvalidGroup.NotFound',
    message: `The security group '${id}' does not exist`,
  }),
  /** CreateSecurityGroup of a name the VPC already has. */
  groupDuplicate: (name: string, vpcId: string): AwsRefusal => ({
    name: 'InvalidGroup.Duplicate',
    message: `The security group '${name}' already exists for VPC '${vpcId}'`,
  }),
  /** DeleteSecurityGroup of a group a cluster (or another group's rule) uses. */
  dependencyViolation: (id: string): AwsRefusal => ({
    name: 'DependencyViolation',
    message: `resource ${id} has a dependent object`,
  }),
} as const;
