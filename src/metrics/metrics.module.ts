import { Module } from '@nestjs/common';
import { MetricsController } from './metrics.controller';
import { MetricsRecorder } from './metrics-recorder';
import { MetricsTokenGuard } from './metrics-token.guard';

/**
 * Prometheus metrics at `GET /metrics`: a leaf every feature imports to count its events through
 * `MetricsRecorder`. Values read at scrape time are gauges their owners register on its registry
 * (AccountGauges, OutboxGauges, ProviderEventDrops), so metrics imports no feature.
 */
@Module({ controllers: [MetricsController], providers: [MetricsRecorder, MetricsTokenGuard], exports: [MetricsRecorder] })
export class MetricsModule {}
