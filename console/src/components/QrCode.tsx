import { useEffect, useState } from 'preact/hooks';
import { Api, ApiError } from '../api';
import { qrPath } from '../qr-path';

/** WhatsApp rotates the login QR about every 20 s; the stream announces each, and a poll covers a missed one. */
const POLL_MS = 15_000;

/** The pending login QR of one account, fetched again on each `account.qr` event (`version`). */
export function QrCode({ api, accountId, version }: { api: Api; accountId: string; version: number }) {
  const [qr, setQr] = useState<{ size: number; path: string } | null>(null);
  const [note, setNote] = useState('Waiting for a QR…');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const poll = setInterval(() => setTick((n) => n + 1), POLL_MS);
    return () => clearInterval(poll);
  }, []);

  useEffect(() => {
    let current = true;
    api
      .get<{ qr: string; ageMs: number }>(`/accounts/${encodeURIComponent(accountId)}/qr`)
      .then((pending) => current && setQr(qrPath(pending.qr)))
      .catch((failure) => {
        if (!current) return;
        setQr(null);
        setNote(failure instanceof ApiError && failure.status === 404 ? 'No QR pending yet' : 'The QR could not be read');
      });
    return () => {
      current = false;
    };
  }, [api, accountId, version, tick]);

  const name = `QR code for ${accountId}`;
  if (!qr) return <p class="qr-note">{note}</p>;
  return (
    <svg class="qr" role="img" aria-label={name} viewBox={`0 0 ${qr.size} ${qr.size}`} shape-rendering="crispEdges">
      <title>{name}</title>
      <rect width={qr.size} height={qr.size} fill="#fff" />
      <path d={qr.path} fill="#000" />
    </svg>
  );
}
