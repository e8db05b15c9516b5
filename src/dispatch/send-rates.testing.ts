// How fast sends went, from the times they arrived (at the simulator, or as limiter slots): the
// measures the limiter's tests, the end-to-end tests and the scale benchmark judge caps by.

/** The most sends that fall in any sliding one-second window. */
export function busiestSecond(timesMs: number[]): number {
  const sorted = [...timesMs].sort((a, b) => a - b);
  let busiest = 0;
  for (let first = 0, last = 0; last < sorted.length; last++) {
    while ((sorted[last] as number) - (sorted[first] as number) >= 1000) first++;
    busiest = Math.max(busiest, last - first + 1);
  }
  return busiest;
}

/**
 * Sends per second from the first arrival to the last: the rate while there was work, without
 * the moments before the first claim and after the last send that a wall-clock mean counts in.
 */
export function steadyRate(timesMs: number[]): number {
  if (timesMs.length < 2) return 0;
  const first = Math.min(...timesMs);
  const last = Math.max(...timesMs);
  return last > first ? ((timesMs.length - 1) * 1000) / (last - first) : 0;
}
