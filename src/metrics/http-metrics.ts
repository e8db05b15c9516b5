import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestObserver } from '../http/request-context.ts';

// Seconds; API calls answer in milliseconds, imports and report downloads take longer.
const REQUEST_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Requests answered by method, route pattern and status, and their latency by route. */
export function createHttpMetrics(registry: Registry): RequestObserver {
  const requests = new Counter({
    name: 'chorus_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames: ['method', 'route', 'status'],
    registers: [registry],
  });
  const seconds = new Histogram({
    name: 'chorus_http_request_duration_seconds',
    help: 'Time from a request arriving to its answer, by method and route pattern.',
    labelNames: ['method', 'route'],
    buckets: REQUEST_SECONDS_BUCKETS,
    registers: [registry],
  });
  return {
    requestHandled({ method, route, status, durationMs }) {
      requests.inc({ method, route, status: String(status) });
      seconds.observe({ method, route }, durationMs / 1000);
    },
  };
}
