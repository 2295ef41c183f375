// PLACEHOLDER so the app compiles while the firestore adapter is being written; replace this whole file.
import { SessionRepository } from './session.repository';
export abstract class FirestoreSessionRepository extends SessionRepository {}
