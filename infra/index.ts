/**
 * db-artifact-factory's AWS CDK construct and stack.
 *
 * ```ts
 * import { CloneFactory } from './infra/index.js';
 * new CloneFactory(this, 'Clones', { allowedSources: ['legacy-prod'] });
 * ```
 */

export { handlerEnvironment } from '../functions/shared/settings/index.js';
export { HANDLER_NAMES, HANDLERS, type HandlerName } from '../state-machines/catalog.js';
export { CloneFactory, SECRET_PREFIX } from './lib/clone-factory.js';
export {
  type CloneFactoryProps,
  DEFAULT_CLONE_NAME_PREFIX,
  InvalidCloneFactoryProps,
  type ResolvedSettings,
  resolveSettings,
} from './lib/props.js';
export { CloneFactoryStack, type CloneFactoryStackProps } from './lib/stack.js';
