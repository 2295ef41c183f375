import { mkdirSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { withinDeadline } from '../common/deadline';
import { PeriodicJob } from '../common/periodic-job';
import { AppConfig } from '../config/app-config';
import { MetricsRecorder } from '../metrics/metrics-recorder';
import { SpoolEntry, SpoolFile } from './spool-file';

type StoreEvent<T> = (event: T) => Promise<unknown>;
/** Log fields that name an event (account, WhatsApp id): never its text. */
type Describe<T> = (event: T) => Record<string, unknown>;

interface Kind {
  store: StoreEvent<unknown>;
  describe: Describe<unknown>;
}

const SPOOL_SUFFIX = '.spool';
const REPLAY_BATCH = 100;

/**
 * Provider events the store refused, kept on local disk until it takes them. Baileys acknowledges a
 * message to WhatsApp before we hear of it, and WhatsApp does not send it again: a retry held only in
 * memory would die with the process. Each process appends to its own file in SPOOL_PATH (SpoolFile),
 * fsynced before the handler returns. At start and every SPOOL_RETRY_MS it adopts the files of processes
 * that are gone and offers every spooled event to the store again, oldest first, stopping at the first
 * the store still refuses. Replay leans on the store's own idempotency: a message already stored is a
 * duplicate, a receipt already applied changes nothing.
 */
@Injectable()
export class ProviderEventSpool implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ProviderEventSpool');
  private readonly kinds = new Map<string, Kind>();
  private readonly ownPath: string;
  private own: SpoolFile | undefined;
  private readonly adopted = new Map<string, SpoolFile>();
  private pending = 0;
  private readonly handling = new Set<Promise<void>>();
  private readonly retries: PeriodicJob;
  private replaying: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly config: AppConfig,
    private readonly metrics: MetricsRecorder,
    scheduler: SchedulerRegistry,
  ) {
    this.retries = new PeriodicJob(scheduler, 'spool-replay');
    this.ownPath = join(config.spoolPath, `${config.workerId}-${config.incarnation}${SPOOL_SUFFIX}`);
  }

  /**
   * How events of `kind` reach the store: the function returned stores one now and, if the store refuses
   * it, spools it to be stored later. It never rejects. Call it while the app is built (a constructor),
   * so the replay at start knows every kind.
   */
  intake<T>(kind: string, store: StoreEvent<T>, describe: Describe<T>): (event: T) => Promise<void> {
    this.kinds.set(kind, { store, describe } as Kind);
    return (event) => {
      const handled = this.storeOrSpool(kind, event);
      this.handling.add(handled);
      return handled.finally(() => this.handling.delete(handled));
    };
  }

  onApplicationBootstrap(): void {
    // A spool that cannot be written is a start-up error: the operator fixes SPOOL_PATH, events are not lost later.
    mkdirSync(this.config.spoolPath, { recursive: true, mode: 0o700 });
    this.replay();
    this.retries.every(this.config.spoolRetryMs, () => this.replay());
  }

  /** Runs after the account sockets have closed (SpoolModule): nothing new arrives, the store is still open. */
  async onApplicationShutdown(): Promise<void> {
    this.retries.stop();
    await this.replaying;
    await Promise.allSettled([...this.handling]);
    this.closed = true;
    // What a file still holds stays for the next process (the lock goes with the connection); an empty file goes.
    for (const file of [this.own, ...this.adopted.values()]) {
      if (file && file.count() === 0) file.delete();
      else file?.close();
    }
  }

  /**
   * A store that does not answer in STORE_DEADLINE_MS (Firestore unreachable) counts as refusing: the
   * event is spooled then, not held in memory until it answers. Should the late call land too, the
   * replay is a duplicate, which the store ignores.
   */
  private async storeOrSpool(kind: string, event: unknown): Promise<void> {
    try {
      await withinDeadline(this.kinds.get(kind)!.store(event), this.config.storeDeadlineMs);
    } catch (storeError) {
      this.spool(kind, event, storeError);
    }
  }

  private spool(kind: string, event: unknown, storeError: unknown): void {
    const named = { kind, ...this.kinds.get(kind)!.describe(event) };
    try {
      if (this.closed) throw new Error('the spool is closed (shutting down)');
      this.own ??= SpoolFile.create(this.ownPath);
      this.own.append(kind, event);
    } catch (error) {
      this.metrics.spooled('lost');
      this.logger.error({ ...named, err: error, storeError: messageOf(storeError) }, 'provider event lost: the store refused it and the spool could not keep it');
      return;
    }
    this.metrics.spooled('spooled');
    this.holding(this.pending + 1);
    this.logger.warn({ ...named, storeError: messageOf(storeError) }, 'the store refused a provider event; spooled for replay');
  }

  private replay(): void {
    if (this.replaying || this.closed) return;
    this.replaying = this.replayAll()
      .catch((error: unknown) => this.logger.error({ err: error }, 'spool replay failed'))
      .finally(() => (this.replaying = null));
  }

  private async replayAll(): Promise<void> {
    this.adoptSpoolsOfTheGone();
    for (const file of [this.own, ...this.adopted.values()]) {
      if (!file) continue;
      if (!(await this.replayFile(file))) return; // the store still refuses: the next round tries again
      if (file !== this.own && file.count() === 0) {
        file.delete();
        this.adopted.delete(file.path);
      }
    }
  }

  /** Offers the file's events to the store, oldest first; false at the first one the store still refuses. */
  private async replayFile(file: SpoolFile): Promise<boolean> {
    let seq = 0;
    for (let batch = file.after(seq, REPLAY_BATCH); batch.length > 0; batch = file.after(seq, REPLAY_BATCH)) {
      for (const entry of batch) {
        seq = entry.seq;
        const outcome = await this.replayOne(entry);
        if (outcome === 'refused') return false;
        if (outcome === 'kept') continue;
        file.remove(entry.seq);
        this.holding(this.pending - 1);
      }
    }
    return true;
  }

  private async replayOne(entry: SpoolEntry): Promise<'stored' | 'refused' | 'kept' | 'unreadable'> {
    const kind = this.kinds.get(entry.kind);
    // Written by a version that knew this kind (a rollback): kept for one that does.
    if (!kind) {
      this.logger.warn({ kind: entry.kind, seq: entry.seq }, 'spooled event of a kind this version does not store; kept');
      return 'kept';
    }
    let event: unknown;
    try {
      event = JSON.parse(entry.json);
    } catch (error) {
      this.metrics.spooled('lost');
      this.logger.error({ kind: entry.kind, seq: entry.seq, err: error }, 'spooled event unreadable; dropped');
      return 'unreadable';
    }
    try {
      await kind.store(event);
    } catch (error) {
      this.logger.warn({ kind: entry.kind, ...kind.describe(event), storeError: messageOf(error), pending: this.pending }, 'the store still refuses spooled events; next try in SPOOL_RETRY_MS');
      return 'refused';
    }
    this.metrics.spooled('replayed');
    return 'stored';
  }

  /** Takes over every spool file in SPOOL_PATH whose process is gone (its lock is free). */
  private adoptSpoolsOfTheGone(): void {
    for (const name of readdirSync(this.config.spoolPath)) {
      const path = join(this.config.spoolPath, name);
      if (!name.endsWith(SPOOL_SUFFIX) || path === this.ownPath || this.adopted.has(path)) continue;
      try {
        const file = SpoolFile.adopt(path);
        if (!file) continue;
        this.adopted.set(path, file);
        this.holding(this.pending + file.count());
        this.logger.warn({ path, events: file.count() }, 'adopted the spool of a process that is gone');
      } catch (error) {
        // Not a database (damaged on disk): moved aside for the operator, so it is not retried every round.
        const damaged = ['SQLITE_NOTADB', 'SQLITE_CORRUPT'].includes((error as { code?: string }).code ?? '');
        if (damaged) renameSync(path, `${path}.unreadable`);
        this.logger.error({ err: error, path, movedTo: damaged ? `${path}.unreadable` : undefined }, 'could not open a spool file');
      }
    }
  }

  private holding(pending: number): void {
    this.pending = pending;
    this.metrics.spoolHolds(pending);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
