/**
 * Whether a message (received, echoed or accepted) becomes its thread's summary: the one rule both stores'
 * inbound and accept writes call. WhatsApp's timestamps are whole seconds, so two messages of one second
 * tie; the later to arrive wins. A replayed older one (`append` after a reconnect) keeps its place.
 */
export function movesThreadSummary(currentLastAt: number | null | undefined, candidateAt: number): boolean {
  return currentLastAt === null || currentLastAt === undefined || candidateAt >= currentLastAt;
}
