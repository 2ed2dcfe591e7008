import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { RDSClient } from '@aws-sdk/client-rds';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * SDK clients, created once per Lambda container and reused across invocations.
 *
 * Region, credentials and endpoints come from the standard chain, so
 * `AWS_ENDPOINT_URL` points every handler at the local stand-in unchanged.
 */
export const rds = new RDSClient({});
export const ec2 = new EC2Client({});
export const secretsManager = new SecretsManagerClient({});
export const scheduler = new SchedulerClient({});
export const eventBridge = new EventBridgeClient({});
export const sfn = new SFNClient({});
