/**
 * Versioned schema, applied in order at start (`PRAGMA user_version` is the applied count). Append only:
 * never edit a migration that has shipped. Column names mirror the Firestore fields in snake_case.
 * Times are epoch milliseconds.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE accounts (
    account_id TEXT PRIMARY KEY,
    name TEXT,
    status TEXT NOT NULL,
    phone TEXT,
    owner TEXT,
    owner_epoch INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER,
    last_disconnect_reason TEXT,
    last_disconnect_at INTEGER,
    connected_at INTEGER,
    qr TEXT,
    qr_at INTEGER,
    reconnect_requested_at INTEGER,
    reset_requested_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE INDEX accounts_by_lease ON accounts (lease_until);

  -- The Baileys session (creds and signal keys) of an account: written by its owner only, fenced by epoch.
  CREATE TABLE account_sessions (
    account_id TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (account_id, key)
  ) STRICT, WITHOUT ROWID;

  -- LID <-> phone-number pairs per account, outside the session so a reset keeps thread identities.
  CREATE TABLE contact_aliases (
    account_id TEXT NOT NULL,
    lid TEXT NOT NULL,
    pn TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, lid)
  ) STRICT, WITHOUT ROWID;
  CREATE UNIQUE INDEX contact_aliases_by_pn ON contact_aliases (account_id, pn);

  CREATE TABLE threads (
    thread_id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    client_jid TEXT NOT NULL,
    last_message_at INTEGER NOT NULL,
    last_message_text TEXT,
    last_message_direction TEXT NOT NULL,
    next_seq INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX threads_by_account ON threads (account_id, last_message_at DESC, thread_id DESC);

  CREATE TABLE messages (
    thread_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    account_id TEXT NOT NULL,
    client_jid TEXT NOT NULL,
    direction TEXT NOT NULL,
    text TEXT,
    status TEXT NOT NULL,
    status_rank INTEGER NOT NULL,
    wa_message_id TEXT NOT NULL,
    request_id TEXT,
    seq INTEGER,
    error TEXT,
    participant TEXT,
    media_type TEXT,
    status_uncertain INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER,
    failed_at INTEGER,
    delivered_at INTEGER,
    read_at INTEGER,
    played_at INTEGER,
    PRIMARY KEY (thread_id, message_id)
  ) STRICT;
  CREATE INDEX messages_by_time ON messages (thread_id, created_at DESC, message_id DESC);

  -- WhatsApp keys a message by chat, fromMe and id; we key by account, direction and id, never the id alone.
  CREATE TABLE message_lookup (
    account_id TEXT NOT NULL,
    direction TEXT NOT NULL,
    wa_message_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    PRIMARY KEY (account_id, direction, wa_message_id)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    request_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    message_ref TEXT NOT NULL,
    wa_message_id TEXT NOT NULL,
    to_jid TEXT NOT NULL,
    text TEXT NOT NULL,
    seq INTEGER NOT NULL,
    status TEXT NOT NULL,
    claimed_by TEXT,
    claim_epoch INTEGER,
    lease_until INTEGER,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    request_hash TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    ended_at INTEGER
  ) STRICT;
  CREATE INDEX outbox_open_by_account ON outbox (account_id, status, next_attempt_at) WHERE status IN ('queued', 'processing');
  -- The head-of-thread check: is an earlier item of this thread still open? Only open items are indexed.
  CREATE INDEX outbox_open_by_thread ON outbox (thread_id, seq) WHERE status IN ('queued', 'processing');
  CREATE INDEX outbox_by_wa_message ON outbox (account_id, wa_message_id);
  CREATE INDEX outbox_ended ON outbox (ended_at) WHERE ended_at IS NOT NULL;
  `,
  // Every accept wrote one page of this index (random WhatsApp ids): ~6 of the ~35 KiB of WAL per send.
  // Its one reader, failBySending, reaches the item through message_lookup and outbox_open_by_thread.
  `
  DROP INDEX outbox_by_wa_message;
  `,
  // A pairing code asked on an instance that does not hold the account goes to the holder through the row.
  `
  ALTER TABLE accounts ADD COLUMN pairing_phone TEXT;
  ALTER TABLE accounts ADD COLUMN pairing_requested_at INTEGER;
  ALTER TABLE accounts ADD COLUMN pairing_code TEXT;
  ALTER TABLE accounts ADD COLUMN pairing_code_for INTEGER;
  `,
  // Failure reasons become one vocabulary (failure-reason.ts); items that ended before are read from their words.
  `
  ALTER TABLE outbox ADD COLUMN failure_reason TEXT;
  ALTER TABLE messages ADD COLUMN failure_reason TEXT;
  UPDATE outbox SET failure_reason = CASE
      WHEN last_error = 'account logged out' THEN 'loggedOut'
      WHEN last_error = 'session reset' THEN 'accountReset'
      WHEN last_error = 'account deleted' THEN 'accountDeleted'
      WHEN last_error LIKE 'gave up after %' THEN 'maxAttempts'
      WHEN last_error LIKE 'rejected by WhatsApp%' OR last_error LIKE 'WhatsApp rejected %' OR last_error LIKE '%is not a%' THEN 'rejected'
      END
    WHERE status = 'failed';
  UPDATE messages SET failure_reason = (SELECT o.failure_reason FROM outbox o WHERE o.thread_id = messages.thread_id AND o.message_id = messages.message_id)
    WHERE status = 'failed' AND direction = 'outbound';
  `,
  // An item is bound to the phone its account was linked to at accept (open ones: the phone linked now);
  // operator requests are pending until their holder records them done (those made before were acted on
  // when they were made); a deleted account's data is removed in the background, its id taken until then.
  `
  ALTER TABLE outbox ADD COLUMN bound_phone TEXT;
  UPDATE outbox SET bound_phone = (SELECT a.phone FROM accounts a WHERE a.account_id = outbox.account_id)
    WHERE status IN ('queued', 'processing');
  ALTER TABLE accounts ADD COLUMN reconnect_done_for INTEGER;
  ALTER TABLE accounts ADD COLUMN reset_done_for INTEGER;
  UPDATE accounts SET reconnect_done_for = reconnect_requested_at, reset_done_for = reset_requested_at;
  CREATE TABLE account_purges (
    account_id TEXT PRIMARY KEY,
    deleted_at INTEGER NOT NULL
  ) STRICT;
  `,
  // The event log (events.ts): appended in the same transaction as each change it reports; `seq` is the
  // stream's cursor, in commit order since sqlite has one writer at a time. An account's status changes are
  // numbered (`statusVersion`) so an app can drop an older one that arrives after a newer.
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    account_id TEXT NOT NULL,
    occurred_at INTEGER NOT NULL,
    subject TEXT NOT NULL
  ) STRICT;
  CREATE INDEX events_by_account ON events (account_id, seq);
  CREATE INDEX events_by_time ON events (occurred_at);
  -- How far retention has purged: a cursor before it may have missed events, and is told so.
  CREATE TABLE event_log_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    purged_through INTEGER NOT NULL
  ) STRICT;
  ALTER TABLE accounts ADD COLUMN status_version INTEGER NOT NULL DEFAULT 0;
  `,
  // Webhook endpoints (webhooks/webhook-endpoint.ts): lists as JSON text (`account_ids` NULL: every
  // account); the secrets are stored because they sign, the previous one beside the current for a day.
  `
  CREATE TABLE webhooks (
    webhook_id TEXT PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    account_ids TEXT,
    description TEXT,
    enabled INTEGER NOT NULL,
    disabled_reason TEXT,
    secret TEXT NOT NULL,
    previous_secret TEXT,
    previous_secret_expires_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  `,
  // Webhook delivery items (webhooks/webhook-delivery.ts), one per (endpoint, event), on the claim
  // engine: a claimed item's next_attempt_at is its lease's end, so one index serves "due" for both open
  // states. Attempts are the endpoint's deliveries log; the dispatch cursor is how far the event log has
  // been fanned out; a pause is a Retry-After that holds an endpoint's every item back.
  `
  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    webhook_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    claimed_by TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    ended_at INTEGER
  ) STRICT;
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (webhook_id, next_attempt_at) WHERE status IN ('queued', 'processing');
  CREATE INDEX webhook_deliveries_claimed ON webhook_deliveries (claimed_by) WHERE status = 'processing';
  CREATE INDEX webhook_deliveries_ended ON webhook_deliveries (ended_at) WHERE ended_at IS NOT NULL;
  CREATE TABLE webhook_attempts (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id TEXT NOT NULL,
    webhook_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    attempt INTEGER NOT NULL,
    at INTEGER NOT NULL,
    status_code INTEGER,
    error TEXT,
    ms INTEGER NOT NULL,
    result TEXT NOT NULL
  ) STRICT;
  CREATE INDEX webhook_attempts_by_endpoint ON webhook_attempts (webhook_id, seq);
  CREATE INDEX webhook_attempts_by_time ON webhook_attempts (at);
  CREATE TABLE webhook_dispatch (id INTEGER PRIMARY KEY CHECK (id = 1), cursor TEXT NOT NULL) STRICT;
  CREATE TABLE webhook_pauses (webhook_id TEXT PRIMARY KEY, until INTEGER NOT NULL) STRICT;
  `,
  // Account keys (access/account-key.ts): the key's SHA-256 only, looked up by key_id; the account list as
  // JSON text, searched with json_each when an account is deleted.
  `
  CREATE TABLE api_keys (
    key_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    account_ids TEXT NOT NULL,
    scopes TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;
  `,
  // Media messages (media/media.ts): the message's type, its file and what a location, contact or reaction
  // carries, as JSON text (read whole with the message, never queried inside).
  `
  ALTER TABLE messages ADD COLUMN type TEXT;
  ALTER TABLE messages ADD COLUMN media TEXT;
  ALTER TABLE messages ADD COLUMN content TEXT;
  `,
  // Instances announcing themselves (accounts/instance-registry.ts): each writes its own row.
  `
  CREATE TABLE instances (worker_id TEXT PRIMARY KEY, started_at INTEGER NOT NULL, seen_at INTEGER NOT NULL) STRICT;
  `,
  // A media send's outbox item carries its file (outbox/outbox-item.ts `media`) as JSON text, read whole.
  `
  ALTER TABLE outbox ADD COLUMN media TEXT;
  `,
  // WhatsApp's limits on an account (accounts/account.ts: pausedUntil, pauseReason).
  `
  ALTER TABLE accounts ADD COLUMN paused_until INTEGER;
  ALTER TABLE accounts ADD COLUMN pause_reason TEXT;
  `,
  // Inbound media downloads (media-downloads/media-download.ts), one per message with a file, made in the
  // message's write; on the claim engine by account, fenced by the account's owner epoch like the outbox.
  `
  CREATE TABLE media_downloads (
    id TEXT PRIMARY KEY,
    account_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    message_id TEXT NOT NULL,
    type TEXT NOT NULL,
    source TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    lease_until INTEGER,
    claimed_by TEXT,
    claim_epoch INTEGER,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    ended_at INTEGER
  ) STRICT;
  CREATE INDEX media_downloads_due ON media_downloads (account_id, next_attempt_at) WHERE status IN ('queued', 'processing');
  CREATE INDEX media_downloads_claimed ON media_downloads (claimed_by) WHERE status = 'processing';
  CREATE INDEX media_downloads_by_account ON media_downloads (account_id);
  `,
];
