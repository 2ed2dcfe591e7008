import { App, type AppProps, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { settingsFromContext } from './context.js';
import { DEFAULT_STACK_NAME } from './outputs.js';
import { CloneFactoryStack } from './stack.js';

export { DEFAULT_STACK_NAME } from './outputs.js';

/**
 * The CDK app of `npx cdk synth` / `npx cdk deploy`: one {@link CloneFactoryStack} configured from
 * context, checked by cdk-nag's AWS Solutions rules.
 *
 * The stack is environment-agnostic (no account or region at synth time), so synthesis needs no
 * credentials and no network; `cdk deploy` deploys to the CLI's current account and region.
 */
export function buildApp(props: AppProps = {}): { app: App; stack: CloneFactoryStack } {
  const app = new App(props);
  const settings = settingsFromContext(app.node);
  const stack = new CloneFactoryStack(app, settings.stackName ?? DEFAULT_STACK_NAME, {
    factory: settings.factory,
    ...(settings.notificationTopicArn === undefined
      ? {}
      : { notificationTopicArn: settings.notificationTopicArn }),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}
