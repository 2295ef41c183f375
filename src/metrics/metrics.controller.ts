import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Public } from '../access/access.decorator';
import { MetricsRecorder } from './metrics-recorder';
import { MetricsTokenGuard } from './metrics-token.guard';

/**
 * Prometheus text for scrapers, outside `/api` (so not rate limited): open like the health probes, or
 * behind METRICS_TOKEN when it is set (CONTRACT "Access"). No API key is asked for or accepted.
 */
@ApiExcludeController()
@Public()
@UseGuards(MetricsTokenGuard)
@Controller('metrics')
export class MetricsController {
  constructor(private readonly recorder: MetricsRecorder) {}

  @Get()
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  scrape(): Promise<string> {
    return this.recorder.registry.metrics();
  }
}
