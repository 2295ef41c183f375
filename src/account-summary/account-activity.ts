/** When an account last heard from a client and last sent, epoch milliseconds; null when it never did. */
export interface LastMessageTimes {
  inbound: number | null;
  outbound: number | null;
}

/** Reads an account's latest message times from its threads' messages: a read-only view for the operator. */
export abstract class AccountActivity {
  abstract lastMessageTimes(accountId: string): Promise<LastMessageTimes>;
}
