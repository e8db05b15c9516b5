import { collectDefaultMetrics, Registry } from 'prom-client';

let registry: Registry | undefined;

/**
 * The process's own figures (CPU, memory, heap, event-loop lag, garbage collection, handles), in a
 * registry of their own: their collectors watch the whole process, so one set serves every
 * ChorusMetrics a process builds (tests build many).
 */
export function processRegistry(): Registry {
  if (!registry) {
    registry = new Registry();
    collectDefaultMetrics({ register: registry });
  }
  return registry;
}
