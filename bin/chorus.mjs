#!/usr/bin/env node
// The `chorus` command. Chorus runs from its TypeScript sources through tsx, so there is
// no build step to forget between editing and running.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
