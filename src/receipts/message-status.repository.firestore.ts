// PLACEHOLDER so the app compiles while the firestore adapter is being written; replace this whole file.
import { MessageStatusRepository } from './message-status.repository';
export abstract class FirestoreMessageStatusRepository extends MessageStatusRepository {}
