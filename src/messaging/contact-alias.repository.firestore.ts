// PLACEHOLDER so the app compiles while the firestore adapter is being written; replace this whole file.
import { ContactAliasRepository } from './contact-alias.repository';
export abstract class FirestoreContactAliasRepository extends ContactAliasRepository {}
