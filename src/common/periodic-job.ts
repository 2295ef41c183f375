import { SchedulerRegistry } from '@nestjs/schedule';

/**
 * One named periodic job on @nestjs/schedule's SchedulerRegistry, its period from config, so it starts
 * and stops with the app: the ScheduleModule clears every registered timer in `beforeApplicationShutdown`,
 * before any module's shutdown hook runs (no new poll, purge or replay starts while the app drains).
 * The account-lease renewal is the one timer kept off it: it must run until the sockets are closed.
 */
export class PeriodicJob {
  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly name: string,
  ) {}

  /** Runs `run` every `periodMs` until stopped. */
  every(periodMs: number, run: () => void): void {
    this.stop();
    this.registry.addInterval(this.name, setInterval(run, periodMs));
  }

  stop(): void {
    if (this.registry.doesExist('interval', this.name)) this.registry.deleteInterval(this.name);
  }
}
