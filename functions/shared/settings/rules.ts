import { parseDuration } from '../duration.js';
import type { Rule } from './check.js';
import { CLONE_NAME_PREFIX, cloneIdProblem, sourceClusterId } from './items.js';
import type { SettingValues } from './table.js';

/**
 * The rules between settings, written once: the construct and the stand-in check them all before
 * anything is deployed or started; `loadConfig` checks those marked `lambda` (see {@link LAMBDA_RULES}).
 */
export const RULES: readonly Rule<SettingValues>[] = [
  {
    keys: ['defaultTtl', 'maxTtl'],
    lambda: true,
    check: ({ defaultTtl, maxTtl }, report) => {
      if ((parseDuration(defaultTtl) ?? 0) <= (parseDuration(maxTtl) ?? 0)) return;
      report({
        key: 'defaultTtl',
        say: (s) => `${s.pair('defaultTtl', defaultTtl)} is longer than ${s.pair('maxTtl', maxTtl)}.`,
      });
    },
  },
  {
    keys: ['maxLifetime', 'maxTtl'],
    lambda: true,
    check: ({ maxLifetime, maxTtl }, report) => {
      if ((parseDuration(maxLifetime) ?? 0) >= (parseDuration(maxTtl) ?? 0)) return;
      report({
        key: 'maxLifetime',
        say: (s) =>
          `${s.pair('maxLifetime', maxLifetime)} is shorter than ${s.pair('maxTtl', maxTtl)}: a clone could not even live its first TTL.`,
      });
    },
  },
  {
    // The clone permissions are scoped to the prefix: a source under it would be deletable.
    keys: ['allowedSources', 'cloneNamePrefix'],
    check: ({ allowedSources, cloneNamePrefix: prefix }, report) => {
      if (!CLONE_NAME_PREFIX.test(prefix)) return;
      allowedSources.forEach((source, index) => {
        if (!sourceClusterId(source)?.toLowerCase().startsWith(prefix)) return;
        report({
          key: 'allowedSources',
          say: (s) =>
            `${s.field('allowedSources', source, index)} starts with the clone name prefix ${s.quote(prefix)}, so the permissions meant for clones would cover it; rename the prefix (${s.name('cloneNamePrefix')}) or choose another source.`,
        });
      });
    },
  },
  {
    keys: ['protectedClones', 'cloneNamePrefix'],
    check: ({ protectedClones, cloneNamePrefix: prefix }, report) => {
      protectedClones.forEach((id, index) => {
        const message = cloneIdProblem(id, prefix);
        if (message !== undefined) report({ key: 'protectedClones', index, value: id, message });
      });
    },
  },
];

/** The rules `loadConfig` checks in each Lambda: their settings go to a handler together. */
export const LAMBDA_RULES = RULES.filter((rule) => rule.lambda === true);
