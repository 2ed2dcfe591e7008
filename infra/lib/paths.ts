import { fileURLToPath } from 'node:url';

/** The repository root: `functions/` and `state-machines/` are found from here, wherever the app runs. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
