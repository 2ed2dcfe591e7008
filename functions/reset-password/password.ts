import { randomInt } from 'node:crypto';

/**
 * The characters a generated master password is drawn from, by class.
 *
 * RDS refuses `/`, `@`, `"`, `'`, `\` and spaces in a master password, so no class holds them.
 */
export const PASSWORD_CLASSES = {
  lower: 'abcdefghijklmnopqrstuvwxyz',
  upper: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  digit: '0123456789',
  symbol: '!#$%^&*()-_=+[]{}<>?',
} as const;

/** Length of a generated master password. */
export const PASSWORD_LENGTH = 32;

const ALPHABET = Object.values(PASSWORD_CLASSES).join('');

function pick(characters: string): string {
  return characters.charAt(randomInt(characters.length));
}

/**
 * A fresh random master password: {@link PASSWORD_LENGTH} characters with at least one of each class.
 *
 * Uses `crypto.randomInt` (uniform, no modulo bias). The result must never be logged, returned
 * from a handler or put in an error message: it lives only in the clone's secret.
 */
export function generatePassword(length: number = PASSWORD_LENGTH): string {
  const characters = Object.values(PASSWORD_CLASSES).map(pick);
  while (characters.length < length) characters.push(pick(ALPHABET));
  // Fisher-Yates, so the guaranteed characters are not always at the front.
  for (let i = characters.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [characters[i], characters[j]] = [characters[j] as string, characters[i] as string];
  }
  return characters.join('');
}
