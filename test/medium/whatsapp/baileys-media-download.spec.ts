import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { encryptedStream } from '@whiskeysockets/baileys';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaSource } from '../../../src/whatsapp/whatsapp-provider';

const CHILD = join(__dirname, 'support', 'baileys-download-child.js');
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!hasOpenssl) console.log('[baileys-media-download] skipped: no openssl here to make the throwaway CA');

/** A CA and a certificate for 127.0.0.1 it signed, both made for this run only. */
function throwawayCertificates(dir: string): { ca: string; key: string; cert: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=throwaway test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
  return { ca: join(dir, 'ca.pem'), key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8') };
}

describe.skipIf(!hasOpenssl)("real Baileys download and decryption over HTTPS, through the product's downloader", () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-media-https-'));
  const plain = randomBytes(100_000);
  /** What the media server answers per path: the encrypted file, or a status. */
  const answers = new Map<string, Buffer | number>();
  const requested: string[] = [];
  let server: Server;
  let base: string;
  let ca: string;
  let encrypted: Awaited<ReturnType<typeof encryptedStream>>;

  beforeAll(async () => {
    const certificates = throwawayCertificates(dir);
    ca = certificates.ca;
    encrypted = await encryptedStream(plain, 'image');
    const bytes = readFileSync(encrypted.encFilePath);
    rmSync(encrypted.encFilePath, { force: true });
    server = createServer({ key: certificates.key, cert: certificates.cert }, (request, response) => {
      requested.push(request.url!);
      const answer = answers.get(request.url!) ?? 404;
      if (typeof answer === 'number') response.writeHead(answer).end();
      else response.writeHead(200, { 'content-type': 'application/octet-stream' }).end(answer);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    answers.set('/v/t62.7118-24/kept.enc', bytes);
    answers.set('/v/t62.7118-24/reuploaded.enc', bytes);
    answers.set('/v/t62.7118-24/gone.enc', 404);
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  /** The source as the inbound translation keeps it (base64 keys), for a file at `path` on the local server. */
  function sourceAt(path: string): MediaSource {
    const base64 = (bytes: Buffer) => bytes.toString('base64');
    return {
      key: { remoteJid: '40712345678@s.whatsapp.net', fromMe: false, id: '3A0000000000000000MEDIA', participant: null },
      file: {
        contentType: 'imageMessage',
        url: `${base}${path}`,
        directPath: path,
        mediaKey: base64(encrypted.mediaKey),
        fileEncSha256: base64(encrypted.fileEncSha256),
        fileSha256: base64(encrypted.fileSha256),
        fileLength: encrypted.fileLength,
        mimetype: 'image/jpeg',
      },
    };
  }

  /** Asynchronous, so this process's server answers the child meanwhile. */
  function downloadInChild(source: MediaSource, reuploadedPath: string, mode = 'product'): Promise<{ base64?: string; error?: string; status?: number; reuploads: number }> {
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: ca };
    return new Promise((resolve, reject) =>
      execFile(process.execPath, [CHILD, JSON.stringify(source), `${base}${reuploadedPath}`, mode], { env, timeout: 30_000, maxBuffer: 8 * 1024 * 1024 }, (error, stdout, stderr) =>
        error ? reject(new Error(`the download child failed: ${error.message}\n${stderr}`)) : resolve(JSON.parse(stdout)),
      ),
    );
  }

  it('decrypts a file Baileys encrypted, fetched from an https:// media URL, to the plain bytes', async () => {
    requested.length = 0;
    const result = await downloadInChild(sourceAt('/v/t62.7118-24/kept.enc'), '/v/t62.7118-24/reuploaded.enc');
    expect(result.error).toBeUndefined();
    expect(Buffer.from(result.base64!, 'base64').equals(plain)).toBe(true);
    expect({ requested, reuploads: result.reuploads }).toEqual({ requested: ['/v/t62.7118-24/kept.enc'], reuploads: 0 });
  }, 60_000);

  it('asks the phone to re-upload when the media server answers 404, then downloads from the URL the re-upload gave', async () => {
    requested.length = 0;
    const result = await downloadInChild(sourceAt('/v/t62.7118-24/gone.enc'), '/v/t62.7118-24/reuploaded.enc');
    expect(result.error).toBeUndefined();
    expect(Buffer.from(result.base64!, 'base64').equals(plain)).toBe(true);
    expect({ requested, reuploads: result.reuploads }).toEqual({ requested: ['/v/t62.7118-24/gone.enc', '/v/t62.7118-24/reuploaded.enc'], reuploads: 1 });
  }, 60_000);

  it("needs the workaround: rc14's downloadMediaMessage alone never re-uploads on 404 (it reads error.status; the Boom carries output.statusCode)", async () => {
    requested.length = 0;
    const result = await downloadInChild(sourceAt('/v/t62.7118-24/gone.enc'), '/v/t62.7118-24/reuploaded.enc', 'baileys-alone');
    expect(result).toMatchObject({ status: 404, reuploads: 0 });
    expect(requested).toEqual(['/v/t62.7118-24/gone.enc']);
  }, 60_000);
});
