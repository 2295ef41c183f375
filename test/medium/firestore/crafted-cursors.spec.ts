import { randomUUID } from 'node:crypto';
import { startTestApp } from '../../support/app';
import { describeOnFirestoreEmulator } from '../../support/firestore-emulator';
import { craftedCursorsScenario } from '../../e2e/crafted-cursors.scenario';

describeOnFirestoreEmulator('crafted cursors on firestore, over HTTP', (host) => {
  craftedCursorsScenario(() =>
    startTestApp({ STORE: 'firestore', FIREBASE_PROJECT_ID: `demo-cursors-${randomUUID().slice(0, 8)}`, FIRESTORE_EMULATOR_HOST: host(), SEND_MIN_INTERVAL_MS: '0' }),
  );
});
