/**
 * Every workflow's definition, from its TypeScript source. `npm run asl` writes them to
 * `state-machines/<name>.asl.json`; a test fails when a file and its source differ.
 */
import type { WorkflowName } from '../catalog.js';
import type { Definition } from './asl.js';
import { cloneDefinition } from './clone.js';
import { operationsDefinition } from './operations.js';
import { refreshDefinition } from './refresh.js';
import { sweeperDefinition } from './sweeper.js';
import { teardownDefinition } from './teardown.js';

export type { Definition } from './asl.js';

/** The source of each workflow's ASL file. */
export const DEFINITIONS: Readonly<Record<WorkflowName, () => Definition>> = {
  clone: cloneDefinition,
  teardown: teardownDefinition,
  sweeper: sweeperDefinition,
  refresh: refreshDefinition,
  operations: operationsDefinition,
};
