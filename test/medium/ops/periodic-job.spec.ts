import { Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { ScheduleModule, SchedulerRegistry } from '@nestjs/schedule';
import { Test, TestingModule } from '@nestjs/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { PeriodicJob } from '../../../src/common/periodic-job';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A service with one poll, as the outbox processor, the purger and the spool have. */
@Injectable()
class Poller implements OnApplicationBootstrap, OnApplicationShutdown {
  polls = 0;
  pollsAtShutdownHook: number | null = null;
  readonly poll: PeriodicJob;

  constructor(scheduler: SchedulerRegistry) {
    this.poll = new PeriodicJob(scheduler, 'poll');
  }

  onApplicationBootstrap(): void {
    this.poll.every(5, () => this.polls++);
  }

  async onApplicationShutdown(): Promise<void> {
    this.pollsAtShutdownHook = this.polls;
    await sleep(50);
    this.poll.stop();
  }
}

describe('a periodic job on the SchedulerRegistry', () => {
  let app: TestingModule | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const start = async () => {
    app = await Test.createTestingModule({ imports: [ScheduleModule.forRoot()], providers: [Poller] }).compile();
    await app.init();
    return app.get(Poller);
  };

  it('runs from bootstrap, listed once in the registry however often it is started', async () => {
    const poller = await start();
    poller.poll.every(5, () => poller.polls++);
    await sleep(60);
    expect(poller.polls).toBeGreaterThan(3);
    expect(app!.get(SchedulerRegistry).getIntervals()).toEqual(['poll']);
  });

  it('runs no more once shutdown begins, even while its owner still drains in its own hook', async () => {
    const poller = await start();
    await sleep(30);
    const closing = app!.close();
    await sleep(20);
    const during = poller.polls;
    await closing;
    app = undefined;
    await sleep(30);
    expect(poller.pollsAtShutdownHook).not.toBeNull();
    expect(poller.polls).toBe(during);
    expect(poller.polls).toBe(poller.pollsAtShutdownHook);
  });
});
