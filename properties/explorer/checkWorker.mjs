// Worker bootstrap for properties/explorer/parallel.ts: workers do not inherit the parent's TypeScript loader,
// so register tsx here (as bin/itl-model.mjs does) before loading the worker's TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./checkPart.ts');
