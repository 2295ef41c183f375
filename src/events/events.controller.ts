import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProduces, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../access/access.decorator';
import { ApiKeys } from '../access/api-keys';
import { Caller, CurrentCaller, reachOf } from '../access/caller';
import { DomainError, InvalidInput } from '../common/errors';
import { DEFAULT_PAGE_LIMIT } from '../common/page';
import { deliveryBodyOf } from './delivery-body';
import { EventsQueryDto } from './dto/events-query.dto';
import { CursorExpired, CursorInvalid, EventFilter, EventLog, LogRead } from './event-log.repository';
import { filterWithin, inReach } from './event-reach';
import { EventStream } from './event-stream';

/** A JSON page's cursor is older than what the log keeps: start again from the oldest (no cursor). */
class EventCursorExpired extends DomainError {
  readonly httpStatus = 410;
  constructor() {
    super('after: the cursor is older than the event retention; read again without one, from the oldest event kept');
  }
}

@ApiTags('events')
@ApiSecurity('api-key')
@Controller('api/whatsapp/events')
export class EventsController {
  constructor(
    private readonly log: EventLog,
    private readonly stream: EventStream,
    private readonly keys: ApiKeys,
  ) {}

  @Get()
  @Access('read', { account: 'query.accountId' })
  @ApiOperation({
    summary: 'The event log: a live stream (Accept: text/event-stream) or pages oldest first (JSON)',
    description:
      'SSE: each event as `id: <cursor>`, `event: <type>`, `data: <the webhook body>`; `: ping` every 15 s; resume with Last-Event-ID or ' +
      '`after`, nothing missed; without either it starts at the end of the log. A deleted account key\'s stream ends within 5 s with `event: revoked`. JSON: `{items, nextCursor}` from `after` (none: the oldest kept); ' +
      '`nextCursor` is never null: poll with it (an account key sees only its accounts\' events, so a page may hold fewer than `limit`). A cursor older than the retention: `event: reset` (SSE, then from the oldest kept) or 410 (JSON).',
  })
  @ApiProduces('application/json', 'text/event-stream')
  @ApiHeader({ name: 'last-event-id', required: false, description: 'SSE: resume after this cursor' })
  async events(
    @Query() query: EventsQueryDto,
    @Headers('accept') accept: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @CurrentCaller() caller: Caller,
  ): Promise<void> {
    // An accountId outside an account key's own was refused by the access guard (404); the reach still applies to every read.
    const reach = reachOf(caller);
    const filter: EventFilter = filterWithin({ accountId: query.accountId, types: query.types }, reach);
    if (!accept?.includes('text/event-stream')) {
      const read = await this.read(query.after || null, filter, query.limit ?? DEFAULT_PAGE_LIMIT, 'after');
      const items = read.entries.filter(({ event }) => inReach(event, reach)).map(({ cursor, event }) => ({ cursor, ...deliveryBodyOf(event) }));
      await reply.send({ items, nextCursor: read.next });
      return;
    }
    const [cursor, field] = query.after ? [query.after, 'after'] : [lastEventId || null, 'last-event-id'];
    // Refused before the stream opens, so a bad cursor gets a 400; an expired one is the stream's to tell (`reset`).
    await this.read(cursor, filter, 1, field).catch((error: unknown) => {
      if (!(error instanceof EventCursorExpired)) throw error;
    });
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    reply.raw.flushHeaders();
    const closed = new Promise<void>((resolve) => request.raw.once('close', () => resolve()));
    let revoked = false;
    const revocation = this.keys.whenRevoked(caller, closed).then(() => void (revoked = true));
    await this.stream
      .run(reply.raw, cursor, filter, Promise.race([closed, revocation]), reach)
      .then(() => revoked && reply.raw.write('event: revoked\ndata: {"reason":"the API key of this stream was deleted"}\n\n'))
      .finally(() => reply.raw.end());
  }

  private async read(cursor: string | null, filter: EventFilter, limit: number, field: string): Promise<LogRead> {
    try {
      return await this.log.read(cursor, filter, limit);
    } catch (error) {
      if (error instanceof CursorInvalid) throw new InvalidInput(field, 'is not a cursor this server returned for the event log');
      if (error instanceof CursorExpired) throw new EventCursorExpired();
      throw error;
    }
  }
}
