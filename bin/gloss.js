#!/usr/bin/env node
// The `gloss` command: loads the TypeScript sources through tsx, so a checkout runs without a compile step.
import { register } from 'tsx/esm/api';

register();
await import('../cli/gloss.ts');
