import { describe, expect, it } from 'vitest';
import { bareEnv, dbaf } from './support.js';

describe('dbaf without a usable AWS setup', () => {
  it('says there are no credentials, and how to get some, exiting 5', async () => {
    const run = await dbaf(['list'], { env: bareEnv({ AWS_REGION: 'eu-west-1' }) });
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/^dbaf: No AWS credentials found\. Pass --profile <name>.*--local/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says there is no region, exiting 5', async () => {
    const run = await dbaf(['list'], {
      env: bareEnv({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret' }),
    });
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/^dbaf: No AWS region set\. Pass --region <region>/);
  });

  it('names a profile that does not exist', async () => {
    const run = await dbaf(['--profile', 'nobody', '--region', 'eu-west-1', 'list']);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(
      /^dbaf: No AWS credentials found for profile "nobody"\. Check that ~\/\.aws\/config/,
    );
  });

  it('says how to start the stand-in when --local finds nothing listening, exiting 5', async () => {
    const run = await dbaf(['--local', '--endpoint-url', 'http://127.0.0.1:9', 'list']);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(
      /^dbaf: Cannot reach the local stand-in at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)\. Start it with "npx dbaf local up"/,
    );
  });

  it('shows the details of an error with --verbose', async () => {
    const run = await dbaf(['--verbose', '--local', '--endpoint-url', 'http://127.0.0.1:9', 'list']);
    expect(run.code).toBe(5);
    expect(run.stderr).toContain('ECONNREFUSED');
    expect(run.stderr).toMatch(/\n\s+at /);
  });
});
