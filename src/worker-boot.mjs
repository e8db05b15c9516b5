// Worker threads do not inherit the main thread's TypeScript loader: register it, then run the worker.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
