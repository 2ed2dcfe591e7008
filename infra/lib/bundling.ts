import { join } from 'node:path';
import { Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { HandlerName } from '../../state-machines/catalog.js';
import { REPO_ROOT } from './paths.js';

/** The Lambda runtime every handler runs on. */
export const HANDLER_RUNTIME = Runtime.NODEJS_22_X;

/** `NODE_OPTIONS` of every handler: stack traces in the logs point into the TypeScript sources. */
export const HANDLER_NODE_OPTIONS = '--enable-source-maps';

/**
 * How every handler is bundled: the one owner of these options, read by the `NodejsFunction`s
 * (`step-functions.ts`) and by `npm run bench:bundles`, which measures what they produce.
 *
 * Locally with esbuild (never Docker), minified, with source maps but not the sources, for
 * Node 22, as CommonJS, with the AWS SDK bundled so the deployed code runs the SDK versions the
 * tests ran.
 *
 * `mainFields` puts `module` first: for `platform=node` esbuild reads `main` first, the SDK's
 * CommonJS build (`dist-cjs/index.js`, every command and model of the service in one module,
 * which esbuild cannot tree-shake), where `module` is its ES build (`dist-es/`), of which only
 * the commands a handler imports are kept. Packages with an `exports` map are not affected: the
 * map wins over the main fields.
 */
export const HANDLER_BUNDLING: Readonly<BundlingOptions> = {
  forceDockerBundling: false,
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  target: 'node22',
  format: OutputFormat.CJS,
  mainFields: ['module', 'main'],
  bundleAwsSDK: true,
};

/** The file esbuild starts from for one handler: `functions/<name>/handler.ts`. */
export function handlerEntry(name: HandlerName): string {
  return join(REPO_ROOT, 'functions', name, 'handler.ts');
}
