#!/usr/bin/env node
// The `dbaf` command. It loads the TypeScript CLI through tsx, so `npx dbaf` works right after
// `npm ci`, with no build step.
import { register } from 'tsx/esm/api';

// The SDK's notice that its releases after January 2027 need Node 22 is noise for a pinned SDK.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('../main.ts');
