// A webhook receiver for bench/events.mjs, in its own process so its work never slows the bench's
// paced senders: answers every POST 200 at once and keeps, per webhook-id, when it first arrived and
// the event's occurredAt. Asked over IPC: { op: 'stats' } → counts and first-attempt latencies since
// { op: 'mark' }.
import http from 'node:http';

const firstSeen = new Map();
let requests = 0;
let markedAt = 0;
let latencies = [];

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    res.writeHead(200).end();
    const now = Date.now();
    requests += 1;
    const id = req.headers['webhook-id'];
    if (firstSeen.has(id)) return;
    firstSeen.set(id, now);
    const occurredAt = Date.parse(JSON.parse(Buffer.concat(chunks).toString()).data.occurredAt);
    if (occurredAt >= markedAt) latencies.push(now - occurredAt);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));

process.on('message', (message) => {
  if (message.op === 'mark') {
    markedAt = Date.now();
    latencies = [];
    process.send({ marked: true, requests, distinct: firstSeen.size });
  }
  if (message.op === 'stats') process.send({ requests, distinct: firstSeen.size, latencies });
});
