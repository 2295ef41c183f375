import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Registry } from 'prom-client';
import { Public } from '../access/access.decorator';
import { MetricsRecorder } from './metrics-recorder';

/** Prometheus text for scrapers: public like the health probes (CONTRACT), and outside `/api`, so not rate limited. */
@ApiExcludeController()
@Public()
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
