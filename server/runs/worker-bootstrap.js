// Entry of a run worker process: lets Node load the TypeScript sources, then starts the worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker-process.ts');
