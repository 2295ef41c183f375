// Child process for baileys-media-download.spec.ts, started with NODE_EXTRA_CA_CERTS (read only at process
// start) so Node's fetch trusts the test's throwaway CA. Downloads one file through the product's code
// path, compiled: downloadWithReupload around Baileys' own downloadMediaMessage (baileysDownload), with a
// re-upload hook that answers the message with the URL in argv; with `baileys-alone`, Baileys' downloadMediaMessage
// without the workaround. Prints {base64, reuploads} or {error, status, reuploads}.
const { downloadWithReupload, waMessageOf } = require('../../../../dist/whatsapp/baileys/media-download');
const { baileysDownload } = require('../../../../dist/whatsapp/baileys/socket-factory');

const [source, reuploadedUrl, mode] = [JSON.parse(process.argv[2]), process.argv[3], process.argv[4]];
const silent = { level: 'silent', child: () => silent, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
let reuploads = 0;

const updateMediaMessage = async (message) => {
  reuploads += 1;
  const media = message.message[source.file.contentType];
  media.url = reuploadedUrl;
  media.directPath = new URL(reuploadedUrl).pathname;
  return message;
};
const socket = { downloadMedia: (message) => baileysDownload(message, updateMediaMessage, silent), updateMediaMessage };

const download = mode === 'baileys-alone' ? socket.downloadMedia(waMessageOf(source)) : downloadWithReupload(socket, source);

download
  .then(async (stream) => {
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    process.stdout.write(JSON.stringify({ base64: Buffer.concat(chunks).toString('base64'), reuploads }));
  })
  .catch((error) => {
    process.stdout.write(JSON.stringify({ error: `${error && error.message}${error && error.cause ? `: ${error.cause.message}` : ''}`, status: error && error.output ? error.output.statusCode : null, reuploads }));
  });
