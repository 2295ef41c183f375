import { Injectable, Logger } from '@nestjs/common';
import { ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config';
import { deliveryBodyOf } from './delivery-body';
import { CursorExpired, EventFilter, EventLog } from './event-log.repository';
import { EventReach, inReach } from './event-reach';

const BATCH = 200;

/**
 * One `text/event-stream` reader of the log: writes each event as `id: <cursor>`, `event: <type>`,
 * `data: <the delivery body>`, from `cursor` (none: the log's end now) for as long as the client stays.
 * It reads the log, not this process's writes, so what any instance appended arrives, in log order;
 * `reach` keeps an account key to its own accounts' events (event-reach.ts).
 */
@Injectable()
export class EventStream {
  private readonly logger = new Logger('EventStream');

  constructor(
    private readonly log: EventLog,
    private readonly config: AppConfig,
  ) {}

  async run(response: ServerResponse, cursor: string | null, filter: EventFilter, closed: Promise<void>, reach: EventReach = null): Promise<void> {
    let open = true;
    void closed.then(() => (open = false));
    let position: string | null = cursor ?? (await this.log.end());
    let lastWrite = Date.now();
    while (open) {
      try {
        const read = await this.log.read(position, filter, BATCH);
        for (const { cursor: id, event } of read.entries) {
          if (!inReach(event, reach)) continue;
          response.write(`id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(deliveryBodyOf(event))}\n\n`);
        }
        position = read.next;
        if (read.entries.length > 0) lastWrite = Date.now();
        if (read.entries.length === BATCH) continue;
      } catch (error) {
        if (error instanceof CursorExpired) {
          // Some events after the cursor are gone: say so, then go on from the oldest kept.
          response.write(`event: reset\ndata: {"reason":"cursor older than the event retention"}\n\n`);
          position = null;
        } else {
          // The store did not answer (an outage, a full queue): the stream waits at its place and reads again.
          this.logger.warn({ err: error }, 'event stream read failed; retrying');
        }
      }
      if (Date.now() - lastWrite >= this.config.eventStreamPingMs) {
        response.write(': ping\n\n');
        lastWrite = Date.now();
      }
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, this.config.eventStreamPollMs))]);
    }
  }
}
