import { Gauge, type Registry } from 'prom-client';
import { STORAGE_COMPONENTS, type StoragePauseObserver } from '../app/storage-pause.ts';

/**
 * chorus_storage_paused{component}: how many loops of each component are paused because the
 * database cannot be reached or its disk is full. Kept in memory, so a scrape shows it while the
 * database is away; one loop per sender dispatches, hence a count rather than a flag.
 */
export function registerStorageGauge(registry: Registry): StoragePauseObserver {
  const gauge = new Gauge({
    name: 'chorus_storage_paused',
    help: 'Background loops paused because the database cannot be reached or its disk is full, by component (0: none).',
    labelNames: ['component'],
    registers: [registry],
  });
  for (const component of STORAGE_COMPONENTS) gauge.set({ component }, 0);
  return (component, isPaused) => gauge.inc({ component }, isPaused ? 1 : -1);
}
