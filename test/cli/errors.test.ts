import { describe, expect, it } from 'vitest';
import { causeText, EXIT, explainAwsError, UserError } from '../../cli/errors.js';

describe('causeText', () => {
  it('gives the errorMessage of a Lambda error envelope', () => {
    const cause = JSON.stringify({
      errorType: 'SourceNotFound',
      errorMessage: 'No cluster "x".',
      trace: ['at ...'],
    });
    expect(causeText(cause)).toBe('No cluster "x".');
  });

  it('gives a cause the state machine wrote as it is', () => {
    expect(causeText('Gave up waiting after 30 status checks.')).toBe(
      'Gave up waiting after 30 status checks.',
    );
  });
});

describe('explainAwsError', () => {
  const aws = { region: 'eu-west-1', endpoint: undefined, local: false };
  const sdkError = (name: string, message = 'no') => Object.assign(new Error(message), { name });

  it.each([
    [
      sdkError('CredentialsProviderError', 'Could not load credentials from any providers'),
      /^No AWS credentials found/,
    ],
    [sdkError('Error', 'Region is missing'), /^No AWS region set/],
    [
      sdkError('ExpiredTokenException', 'The security token included in the request is expired'),
      /refused your credentials \(ExpiredTokenException/,
    ],
    [
      sdkError('AccessDeniedException', 'User alice is not authorized to perform: states:StartExecution.'),
      /^Access denied: User alice .*docs\/cli\.md/,
    ],
    [
      Object.assign(new Error('connect'), { cause: Object.assign(new Error('x'), { code: 'ENOTFOUND' }) }),
      /^Cannot reach AWS \(ENOTFOUND\)/,
    ],
  ])('turns %s into a message exiting 5', (error, message) => {
    const explained = explainAwsError(error, aws);
    expect(explained).toBeInstanceOf(UserError);
    expect(explained).toMatchObject({ exitCode: EXIT.environment, message: expect.stringMatching(message) });
  });

  it('passes other errors through unchanged, for the generic report', () => {
    const error = sdkError('InvalidParameterValue');
    expect(explainAwsError(error, aws)).toBe(error);
  });
});
