import { App, deleteApp, initializeApp } from 'firebase-admin/app';
import { Firestore, getFirestore } from 'firebase-admin/firestore';
import { pointFirebaseAtEmulator } from '../../config/firebase-environment';
import { KeyedQueue } from './keyed-queue';

const DEFAULT_EVENT_RETENTION_MS = 30 * 24 * 3_600_000;

/**
 * The Firestore client. With FIRESTORE_EMULATOR_HOST set, firebase-admin talks to the emulator and
 * needs no credentials; otherwise it uses the usual Google application default credentials.
 */
export class FirestoreStore {
  private readonly turns = new KeyedQueue();

  private constructor(
    /** The Firebase app, shared by the Cloud Storage blob store (media/gcs/): one set of credentials for both. */
    readonly app: App,
    readonly db: Firestore,
    /** How long an event is kept: its `expireAt` is set this long after it occurred. */
    readonly eventRetentionMs: number,
  ) {}

  static open(projectId: string, emulatorHost?: string, eventRetentionMs = DEFAULT_EVENT_RETENTION_MS): FirestoreStore {
    if (emulatorHost) pointFirebaseAtEmulator(emulatorHost);
    const app = initializeApp({ projectId }, `store-${projectId}-${Math.random().toString(36).slice(2)}`);
    const db = getFirestore(app);
    // Naming the universe stops google-gax asking the auth library for it, which probes the GCE metadata
    // server (169.254.169.254) from every new client: a network call the emulator never needs.
    db.settings({ ignoreUndefinedProperties: true, ...(emulatorHost ? { universeDomain: 'googleapis.com' } : {}) });
    return new FirestoreStore(app, db, eventRetentionMs);
  }

  /**
   * Runs `transaction` after every earlier one this process started on the same document (a thread's
   * counter, say): see KeyedQueue for why contending transactions are queued here rather than raced.
   */
  inTurn<T>(documentPath: string, transaction: () => Promise<T>): Promise<T> {
    return this.turns.run(documentPath, transaction);
  }

  async close(): Promise<void> {
    await this.db.terminate();
    await deleteApp(this.app);
  }
}
