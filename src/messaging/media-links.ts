/**
 * Links to a media message's bytes that need no key, minted into a message's answer when it is served and
 * never stored (they expire). Messaging defines the port; the composition root binds it to media-serve/.
 */
export abstract class MediaLinks {
  /** The link, or null when this deployment mints none. */
  abstract linkTo(threadId: string, messageId: string): string | null;
}
