import { describeOnFirestoreEmulator, firestoreFixtures } from '../support/firestore-emulator';
import { accountsContract } from './accounts.contract';
import { outboxAcceptContract } from './outbox-accept.contract';
import { threadsContract } from './threads.contract';

// The same contract suite as sqlite.spec.ts, races included, against Google's Firestore emulator.
describeOnFirestoreEmulator('firestore adapters', (host) => {
  const makeFirestore = firestoreFixtures(host);
  accountsContract(makeFirestore);
  outboxAcceptContract(makeFirestore);
  threadsContract(makeFirestore);
});
