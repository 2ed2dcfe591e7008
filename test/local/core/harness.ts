import { Clock } from '../../../local/core/clock.js';
import { Faults } from '../../../local/core/faults.js';
import { AwsServer } from '../../../local/core/server.js';
import type { ServiceContext, ServiceDefinition } from '../../../local/core/service.js';
import { Account } from '../../../local/core/state.js';

/** A stand-in HTTP front with the given services, on a free port. */
export async function serve(build: (context: ServiceContext) => ServiceDefinition[], scale = 0.001) {
  const clock = new Clock(scale);
  const account = new Account('us-east-1', '000000000000');
  const faults = new Faults(clock);
  const started: string[] = [];
  const context: ServiceContext = {
    account,
    clock,
    faults,
    log: () => undefined,
    startExecution: async (arn) => {
      started.push(arn);
      return { executionArn: `${arn}:run` };
    },
  };
  const server = new AwsServer({
    services: build(context),
    faults,
    log: () => undefined,
    control: async () => ({}),
  });
  const port = await server.listen('127.0.0.1', 0);
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    context,
    config: { endpoint, region: 'us-east-1', credentials: { accessKeyId: 't', secretAccessKey: 't' } },
    close: async () => {
      clock.shutdown();
      await server.close();
    },
  };
}
