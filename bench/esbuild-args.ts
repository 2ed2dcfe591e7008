import { join } from 'node:path';
import type { Runtime } from 'aws-cdk-lib/aws-lambda';
import { type BundlingOptions, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';

/**
 * The `bundling` props this mapping reproduces. Any other prop changes the command the CDK runs
 * in a way the bench does not model (a tsc pre-compilation, installed node_modules, hooks,
 * Docker), so {@link esbuildArgs} refuses it rather than measure something else.
 */
const MAPPED = new Set<string>([
  'forceDockerBundling',
  'minify',
  'sourceMap',
  'sourceMapMode',
  'sourcesContent',
  'target',
  'format',
  'bundleAwsSDK',
  'externalModules',
  'loader',
  'define',
  'logLevel',
  'keepNames',
  'banner',
  'footer',
  'mainFields',
  'inject',
]);

/**
 * The esbuild command line `NodejsFunction` runs for one entry, after `buildEsbuildArgs` and
 * `createBundlingSteps` of aws-cdk-lib 2.276's `aws-lambda-nodejs/lib/bundling.js` (local
 * bundling): `--bundle <entry>`, then the flags in the same order, then `--metafile`, which the
 * CDK adds too when `metafile: true` and which changes nothing in the bundle.
 *
 * @param entry absolute path of the handler's entry file, as the CDK passes it
 * @param outDir the directory `index.js` (or `index.mjs`) and its source map go to
 * @param runtime the function's runtime, the default `--target` when `target` is not set
 * @throws Error when `options` holds a prop this mapping does not reproduce
 */
export function esbuildArgs(
  options: Readonly<BundlingOptions>,
  entry: string,
  outDir: string,
  runtime: Runtime,
): string[] {
  const unmapped = Object.keys(options).filter((key) => !MAPPED.has(key));
  if (unmapped.length > 0) {
    throw new Error(`bench/esbuild-args.ts does not reproduce the bundling props ${unmapped.join(', ')}.`);
  }
  if (options.sourceMap === false && options.sourceMapMode) {
    throw new Error('sourceMapMode cannot be used when sourceMap is false (the CDK refuses it too).');
  }
  const sourceMap = options.sourceMapMode ?? options.sourceMap;
  const mode = options.sourceMapMode ?? SourceMapMode.DEFAULT;
  const outFile = options.format === OutputFormat.ESM ? 'index.mjs' : 'index.js';
  return [
    '--bundle',
    entry,
    `--target=${options.target ?? `node${/nodejs(\d+)/.exec(runtime.name)?.[1]}`}`,
    '--platform=node',
    ...(options.format ? [`--format=${options.format}`] : []),
    `--outfile=${join(outDir, outFile)}`,
    ...(options.minify ? ['--minify'] : []),
    ...(sourceMap ? [`--sourcemap${mode === SourceMapMode.DEFAULT ? '' : `=${mode}`}`] : []),
    ...((options.sourcesContent ?? true) ? [] : ['--sources-content=false']),
    ...externals(options).map((external) => `--external:${external}`),
    ...Object.entries(options.loader ?? {}).map(([ext, name]) => `--loader:${ext}=${name}`),
    ...Object.entries(options.define ?? {}).map(([key, value]) => `--define:${key}=${value}`),
    ...(options.logLevel ? [`--log-level=${options.logLevel}`] : []),
    ...(options.keepNames ? ['--keep-names'] : []),
    `--metafile=${join(outDir, 'index.meta.json')}`,
    ...(options.banner ? [`--banner:js=${options.banner}`] : []),
    ...(options.footer ? [`--footer:js=${options.footer}`] : []),
    ...(options.mainFields ? [`--main-fields=${options.mainFields.join(',')}`] : []),
    ...(options.inject ?? []).map((file) => `--inject:${file}`),
  ];
}

function externals(options: Readonly<BundlingOptions>): readonly string[] {
  if (options.externalModules) return options.externalModules;
  if (options.bundleAwsSDK) return [];
  // Without bundleAwsSDK the CDK leaves out @aws-sdk/* and, behind a feature flag, @smithy/*.
  throw new Error(
    'bench/esbuild-args.ts does not model the SDK externals; set bundleAwsSDK or externalModules.',
  );
}
