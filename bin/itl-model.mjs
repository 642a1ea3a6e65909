#!/usr/bin/env node
// Launcher for the `itl-model` binary: runs the TypeScript entry point through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
