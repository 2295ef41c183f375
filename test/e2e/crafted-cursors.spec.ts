import { describe } from 'vitest';
import { startTestApp } from '../support/app';
import { craftedCursorsScenario } from './crafted-cursors.scenario';

describe('crafted cursors on sqlite, over HTTP', () => {
  craftedCursorsScenario(() => startTestApp({ SEND_MIN_INTERVAL_MS: '0' }));
});
