import { afterEach, vi } from 'vitest';

/** What every `aws-sdk-client-mock` client mock can do between tests. */
interface Resettable {
  reset(): unknown;
}

/**
 * Resets the file's AWS client mocks, and any environment a test stubbed, after every test.
 *
 * Call it once at the top level of a test file, where `afterEach` would go.
 */
export function resetAfterEach(...mocks: readonly Resettable[]): void {
  afterEach(() => {
    for (const mock of mocks) mock.reset();
    vi.unstubAllEnvs();
  });
}

/** An RDS service exception (`DBClusterNotFoundFault`, ...) as the SDK throws it. */
export function rdsFault(
  Fault: new (options: { $metadata: object; message: string }) => Error,
  message = 'refused',
): Error {
  return new Fault({ $metadata: {}, message });
}
