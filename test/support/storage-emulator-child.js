// Child process for storage-emulator.ts: firebase-tools' own Cloud Storage emulator, started without the
// `firebase emulators:start` CLI. That CLI needs Java 21 and downloads the rules runtime jar from Google at
// every start without it; here the rules runtime is started only when its jar is already cached, and
// otherwise its start is skipped (the one method patched). The JSON API firebase-admin speaks is served
// without rules (only Firebase's client SDK paths consult them), so no ruleset is loaded either way.
// argv: port, projectId. Tells its parent {ready, rulesRuntime} over IPC once listening, or {failed}.
const { existsSync } = require('node:fs');
const tools = '../../node_modules/firebase-tools/lib/emulator';
const { StorageEmulator } = require(`${tools}/storage/index.js`);
const { StorageRulesRuntime } = require(`${tools}/storage/rules/runtime.js`);
const { getDownloadDetails } = require(`${tools}/downloadableEmulators.js`);
const { Emulators } = require(`${tools}/types.js`);
const { EmulatorRegistry } = require(`${tools}/registry.js`);

const [port, projectId] = process.argv.slice(2);

async function main() {
  const jar = getDownloadDetails(Emulators.STORAGE).downloadPath;
  let rulesRuntime = 'started';
  if (!existsSync(jar)) {
    rulesRuntime = `not run: its jar is not in ${jar} (it is downloaded from Google, unreachable here)`;
    StorageRulesRuntime.prototype.start = async () => undefined;
  }
  const emulator = new StorageEmulator({ projectId, host: '127.0.0.1', port: Number(port), rules: [], auto_download: false });
  // Through the registry, as the CLI starts it: the emulator reads its own address from there.
  await EmulatorRegistry.start(emulator);
  process.send({ ready: true, rulesRuntime });
  process.on('disconnect', () => void EmulatorRegistry.stop(Emulators.STORAGE).finally(() => process.exit(0)));
}

main().catch((error) => {
  process.send({ failed: String(error && error.stack ? error.stack : error) });
  process.exit(1);
});
