import { describe } from 'vitest';
import { startTestApp } from '../support/app';
import { webhookDeliveriesScenario } from './webhook-deliveries.scenario';

describe('webhook deliveries on sqlite, over HTTP', () => {
  webhookDeliveriesScenario((env, resolver) => startTestApp(env, undefined, { outboundResolver: resolver }), { wait: 10_000, lag: 300 });
});
