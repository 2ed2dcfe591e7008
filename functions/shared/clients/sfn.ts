import { SFNClient } from '@aws-sdk/client-sfn';

/**
 * The handlers' Step Functions client: one per Lambda container, reused across invocations.
 *
 * One module per client, so a handler's bundle holds only the clients its code imports. Region,
 * credentials and endpoint come from the standard chain, so `AWS_ENDPOINT_URL` points it at the
 * local stand-in unchanged.
 */
export const sfn = new SFNClient({});
