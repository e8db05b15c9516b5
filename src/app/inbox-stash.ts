import type { StatusEventInput } from '../store/status-events-repo.ts';

/** Stores events as one inbox row, durable when it resolves. */
export type StoreEvents = (events: StatusEventInput[], receivedAt: number) => Promise<void>;

/** A row takes other POSTs' events up to as many as Meta puts in one POST (reference/cloud-api.md §4). */
export const GROUP_EVENTS_LIMIT = 1_000;

interface Group {
  events: StatusEventInput[];
  receivedAt: number;
  stored: Promise<void>;
}

/**
 * Stashes the status events of the POSTs that arrive together as one inbox row, in one commit,
 * and answers each POST when that commit is done. Meta often posts one status a POST, and a POST
 * of its own row paid a statement, a commit and the write lock for it; the drain then took one
 * small row at a time as well. A group gathers for one turn of the event loop (what arrived with
 * it), so a POST waits no longer than before for anything but its neighbours' bytes. A failed store
 * fails every POST of the group, so each is answered with the error and Meta sends it again.
 */
export class InboxStash {
  readonly #store: StoreEvents;
  #open: Group | undefined;

  constructor(store: StoreEvents) {
    this.#store = store;
  }

  /** Resolves once `events` are durable. */
  add(events: StatusEventInput[], receivedAt: number): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    let group = this.#open;
    if (group === undefined || group.events.length + events.length > GROUP_EVENTS_LIMIT)
      group = this.#openGroup(receivedAt);
    for (const event of events) group.events.push(event);
    return group.stored;
  }

  #openGroup(receivedAt: number): Group {
    const group: Group = { events: [], receivedAt, stored: Promise.resolve() };
    group.stored = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      if (this.#open === group) this.#open = undefined;
      return this.#store(group.events, group.receivedAt);
    });
    this.#open = group;
    return group;
  }
}
