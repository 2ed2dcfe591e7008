#!/usr/bin/env node
import { buildApp } from '../lib/app.js';
import { InvalidContext } from '../lib/context.js';
import { InvalidCloneFactoryProps } from '../lib/props.js';

// The CDK CLI runs this file (cdk.json "app") and synthesizes the app when it exits.
try {
  buildApp();
} catch (error) {
  if (!(error instanceof InvalidContext || error instanceof InvalidCloneFactoryProps)) throw error;
  console.error(`db-artifact-factory: ${error.message}`);
  process.exitCode = 1;
}
