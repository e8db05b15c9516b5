// The control surface of a run, for tests, benchmarks and the sandbox.
import { setUserPreference, simulateInbound } from './inbound.ts';
import type { SimState } from './sim-state.ts';
import type { SimulatorControl } from './types.ts';

/** Builds the control methods over a run's state. */
export function createControl(state: SimState): SimulatorControl {
  return {
    getBehaviour: () => structuredClone(state.behaviour),
    setBehaviour: (patch) => structuredClone(state.setBehaviour(patch)),
    startOutage: (mode, forMs, acceptRate = 0) => state.startOutage(mode, forMs, acceptRate),
    endOutage: () => state.endOutage(),
    reset: () => state.reset(),
    acceptedMessages: (options = {}) => state.log.list(options.offset, options.limit),
    duplicateCallbackData: () => state.log.duplicateCallbackData(),
    arrivals: () => ({ total: state.arrivals.count, timesMs: state.arrivals.list() }),
    stats: () => state.stats(),
    simulateInbound: (message) => simulateInbound(state, message),
    setTemplateStatus: (ref, status) => ({ ...state.templates.setStatus(ref, status) }),
    upsertTemplate: (template) => ({ ...state.templates.upsert(template) }),
    setUserPreference: (waId, value) => setUserPreference(state, waId, value),
    setWebhookUrl: (url) => state.webhooks.setUrl(url),
    flushWebhooks: () => state.webhooks.flush(),
  };
}
