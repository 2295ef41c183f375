import { Injectable } from '@nestjs/common';
import { SqliteStore } from '../../store/sqlite/sqlite-store';
import { EndedOutboxItems } from '../ended-items.repository';

/** Oldest first, through the partial index of ended items (`outbox_ended`): never a scan of the outbox. */
export const PURGE_ENDED_SQL = 'DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE ended_at < ? ORDER BY ended_at LIMIT ?)';

@Injectable()
export class SqliteEndedOutboxItems extends EndedOutboxItems {
  constructor(private readonly store: SqliteStore) {
    super();
  }

  purge(endedBefore: number, limit: number): Promise<number> {
    return this.store.writes.run(() => this.store.statement(PURGE_ENDED_SQL).run(endedBefore, limit).changes);
  }
}
