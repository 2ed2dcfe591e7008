import { afterEach, describe, expect, it } from 'vitest';
import { isolateFunctionEnvironments, runWithEnvironment } from '../../local/function-environment.js';

describe("each function's own environment, in one process", () => {
  let release = () => {};
  afterEach(() => {
    release();
    delete process.env.DBAF_TEST_OWNED;
    delete process.env.DBAF_TEST_OTHER;
  });

  it('shows a running handler only the owned variables its function was given', async () => {
    const real = process.env;
    process.env.DBAF_TEST_OWNED = 'the process';
    release = isolateFunctionEnvironments(['DBAF_TEST_OWNED', 'DBAF_TEST_OTHER']);
    const seen = await runWithEnvironment({ DBAF_TEST_OTHER: 'given' }, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return {
        owned: process.env.DBAF_TEST_OWNED,
        other: process.env.DBAF_TEST_OTHER,
        has: 'DBAF_TEST_OWNED' in process.env,
        keys: Object.keys(process.env).filter((key) => key.startsWith('DBAF_TEST_')),
        spread: { ...process.env }.DBAF_TEST_OTHER,
        path: process.env.PATH,
      };
    });
    expect(seen).toEqual({
      owned: undefined,
      other: 'given',
      has: false,
      keys: ['DBAF_TEST_OTHER'],
      spread: 'given',
      path: real.PATH,
    });
    // Outside a handler, the process's own.
    expect(process.env.DBAF_TEST_OWNED).toBe('the process');
    expect(process.env.DBAF_TEST_OTHER).toBeUndefined();
    release();
    expect(process.env).toBe(real);
  });

  it('keeps the view while any stand-in of the process runs', () => {
    const real = process.env;
    const first = isolateFunctionEnvironments(['DBAF_TEST_OWNED']);
    const second = isolateFunctionEnvironments(['DBAF_TEST_OWNED']);
    first();
    first();
    expect(process.env).not.toBe(real);
    second();
    expect(process.env).toBe(real);
  });
});
