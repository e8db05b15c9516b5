/** Something beyond one message that a send's outcome calls for. */
export type DispatchEffect =
  | { kind: 'pause_campaign'; campaignId: number; reason: string }
  /** Authentication or configuration trouble: nothing of this sender can go until it is fixed. */
  | { kind: 'pause_sender'; senderId: string; reason: string }
  | { kind: 'opt_out'; phone: string; evidence: string }
  | { kind: 'throughput' };
