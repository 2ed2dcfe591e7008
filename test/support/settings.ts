import type { SettingKey } from '../../functions/shared/settings/index.js';

/**
 * A valid value of every deployment setting, none of them its default, as text (a `-c` value, a
 * stand-in flag): the tests give each to every surface and expect it back. A new setting needs one.
 */
export const SETTING_EXAMPLES: Readonly<Record<SettingKey, string>> = {
  allowedSources: 'legacy-prod,orders-prod',
  defaultTtl: '4h',
  maxTtl: '3d',
  cloneNamePrefix: 'tmp-',
  defaultAllowedCidrs: '10.20.0.0/16,10.30.0.0/16',
  quotaHeadroom: '2',
  maxClonesPerOwner: '3',
  expiryWarning: '30m',
  maxLifetime: '14d',
  protectedClones: 'tmp-demo,TMP-Training',
  sweeperSchedule: 'rate(30 minutes)',
  sweeperGrace: '1h',
};
