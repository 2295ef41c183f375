import { Injectable } from '@nestjs/common';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { InstanceRecord, InstanceRegistry } from '../instance-registry';

interface InstanceRow {
  worker_id: string;
  started_at: number;
  seen_at: number;
}

@Injectable()
export class SqliteInstanceRegistry extends InstanceRegistry {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  heartbeat(instance: InstanceRecord): Promise<void> {
    return this.store.writes.run(() => {
      this.store
        .statement(
          `INSERT INTO instances (worker_id, started_at, seen_at) VALUES (@workerId, @startedAt, @seenAt)
           ON CONFLICT (worker_id) DO UPDATE SET started_at = excluded.started_at, seen_at = MAX(seen_at, excluded.seen_at)`,
        )
        .run(instance);
    });
  }

  async seenSince(since: number): Promise<InstanceRecord[]> {
    const rows = this.store.statement('SELECT * FROM instances WHERE seen_at >= ? ORDER BY worker_id').all(since) as InstanceRow[];
    return rows.map((row) => ({ workerId: row.worker_id, startedAt: row.started_at, seenAt: row.seen_at }));
  }

  leave(workerId: string): Promise<void> {
    return this.store.writes.run(() => {
      this.store.statement('DELETE FROM instances WHERE worker_id = ?').run(workerId);
    });
  }
}
