import { text } from 'node:stream/consumers';
import { proto } from '@whiskeysockets/baileys';
import { describe, expect, it } from 'vitest';
import { downloadWithReupload, type MediaSocket } from '../../../src/whatsapp/baileys/media-download';
import { messagesOfUpsert } from '../../../src/whatsapp/baileys/provider-events/message-upsert';
import { SimulatedMediaServer } from '../../../src/whatsapp/simulator/simulated-media';

/** A file the simulated phone sent, translated as the product translates it: its kept download source. */
function sentFile(server: SimulatedMediaServer) {
  const content = server.upload({ type: 'document', bytes: Buffer.from('invoice bytes'), mimetype: 'application/pdf', fileName: 'a.pdf' });
  const info = proto.WebMessageInfo.fromObject({ key: { remoteJid: '40712345678@s.whatsapp.net', fromMe: false, id: '3A0123456789ABCDEF01' }, message: content, messageTimestamp: 1_760_000_000 });
  return messagesOfUpsert({ messages: [info as never], type: 'notify' }).events[0].mediaSource!;
}

function socketOn(server: SimulatedMediaServer): MediaSocket & { reuploads: number } {
  const socket = {
    reuploads: 0,
    downloadMedia: (message: never) => server.download('acc1', message),
    updateMediaMessage: async (message: never) => (socket.reuploads++, server.reupload(message)),
  };
  return socket;
}

describe('downloading an inbound file through the socket', () => {
  it('gives the bytes the phone sent, from the source kept with the work item', async () => {
    const server = new SimulatedMediaServer();
    const source = JSON.parse(JSON.stringify(sentFile(server)));
    expect(await text(await downloadWithReupload(socketOn(server), source))).toBe('invoice bytes');
  });

  it.each([404, 410] as const)('on %i asks the phone to re-upload and downloads from the new URL', async (status) => {
    const server = new SimulatedMediaServer();
    const source = sentFile(server);
    server.fault('acc1', status);
    const socket = socketOn(server);
    expect(await text(await downloadWithReupload(socket, source))).toBe('invoice bytes');
    expect(socket.reuploads).toBe(1);
  });

  it('passes any other failure on, for the work item to retry', async () => {
    const server = new SimulatedMediaServer();
    const source = sentFile(server);
    server.fault('acc1', 503);
    const socket = socketOn(server);
    await expect(downloadWithReupload(socket, source)).rejects.toMatchObject({ output: { statusCode: 503 } });
    expect(socket.reuploads).toBe(0);
    expect(await text(await downloadWithReupload(socket, source))).toBe('invoice bytes');
  });
});
