import { useEffect, useState } from 'preact/hooks';
import { Api } from '../api';
import { shownTime } from '../time';
import { FleetEvents } from '../use-fleet';

export interface MessageView {
  messageId: string;
  threadId: string;
  direction: 'inbound' | 'outbound';
  text: string | null;
  type: string;
  status: string;
  createdAt: string;
  failureReason?: string;
  error?: string;
  media?: { fileName: string | null; mimetype: string; size: number; caption: string | null; stored: boolean };
}

interface ThreadView {
  threadId: string;
  clientJid: string;
  lastMessageAt: string;
  lastMessageText: string | null;
}

const PAGE = 50;

/** An account's threads, newest first, and the open thread's messages with their statuses, kept live. */
export function Threads({ api, accountId, events }: { api: Api; accountId: string; events: FleetEvents }) {
  const [threads, setThreads] = useState<ThreadView[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    api.get<{ items: ThreadView[] }>(`/threads?accountId=${encodeURIComponent(accountId)}&limit=${PAGE}`).then((page) => current && setThreads(page.items), () => undefined);
    return () => {
      current = false;
    };
  }, [api, accountId, version]);

  useEffect(
    () => events.subscribe((event) => event.body?.data.accountId === accountId && event.type.startsWith('message.') && setVersion((n) => n + 1)),
    [events, accountId],
  );

  return (
    <div class="threads">
      <ul class="thread-list" aria-label="Threads">
        {threads.length === 0 && <li class="muted">No threads yet</li>}
        {threads.map((thread) => (
          <li key={thread.threadId}>
            <button type="button" class="link" aria-pressed={thread.threadId === open} onClick={() => setOpen(thread.threadId)}>
              {thread.clientJid}
            </button>
            <div class="muted clip">{thread.lastMessageText ?? ''}</div>
            <div class="muted">{shownTime(thread.lastMessageAt)}</div>
          </li>
        ))}
      </ul>
      {open && <Messages api={api} threadId={open} events={events} />}
    </div>
  );
}

function Messages({ api, threadId, events }: { api: Api; threadId: string; events: FleetEvents }) {
  const [messages, setMessages] = useState<MessageView[]>([]);

  useEffect(() => {
    let current = true;
    api.get<{ items: MessageView[] }>(`/threads/${encodeURIComponent(threadId)}/messages?limit=${PAGE}`).then((page) => current && setMessages(page.items), () => undefined);
    return () => {
      current = false;
    };
  }, [api, threadId]);

  // Each message event carries the message as the route answers it: the list is updated in place.
  useEffect(
    () =>
      events.subscribe((event) => {
        const message = event.body?.data.message as MessageView | undefined;
        if (!message || message.threadId !== threadId) return;
        setMessages((list) => (list.some((m) => m.messageId === message.messageId) ? list.map((m) => (m.messageId === message.messageId ? message : m)) : [message, ...list]));
      }),
    [events, threadId],
  );

  return (
    <ol class="messages" aria-label="Messages">
      {messages.map((message) => (
        <li key={message.messageId} class={`message ${message.direction}`} data-message-id={message.messageId}>
          <div class="meta">
            <span>{message.direction === 'inbound' ? 'in' : 'out'}</span> <span>{shownTime(message.createdAt)}</span> <span class={`status status-${message.status}`}>{message.status}</span>
            {message.type !== 'text' && <span class="muted"> {message.type}</span>}
          </div>
          {message.media && (
            <div class="media">
              {message.media.fileName ?? '(no file name)'} <span class="muted">{message.media.mimetype}, {message.media.size} bytes{message.media.stored ? '' : ', not stored yet'}</span>
            </div>
          )}
          {message.text && <p class="text">{message.text}</p>}
          {message.media?.caption && <p class="text">{message.media.caption}</p>}
          {message.status === 'failed' && (
            <div class="bad">
              failed: {message.failureReason ?? 'unknown'}
              {message.error ? ` (${message.error})` : ''}
            </div>
          )}
        </li>
      ))}
    </ol>
  );
}
