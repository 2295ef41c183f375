/** `instances/{workerId}`: an instance announcing itself (CONTRACT "Scale and faults"). Times are epoch ms. */
export interface InstanceRecord {
  workerId: string;
  /** When this incarnation started: a restart under the same WORKER_ID is a new join. */
  startedAt: number;
  /** Its last heartbeat, written every third of ACCOUNT_LEASE_MS. */
  seenAt: number;
}

/** The instances that share the store. Adapters: sqlite/instance-registry.sqlite.ts, firestore/instance-registry.firestore.ts. */
export abstract class InstanceRegistry {
  /** Writes (creates or moves forward) the instance's heartbeat. */
  abstract heartbeat(instance: InstanceRecord): Promise<void>;
  /** The instances seen at or after `since`, by workerId. */
  abstract seenSince(since: number): Promise<InstanceRecord[]>;
  /** Its record removed, so the others count it gone at once rather than a lease later (SIGTERM). */
  abstract leave(workerId: string): Promise<void>;
}
