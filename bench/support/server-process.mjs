// Starts a server under test as its own process, waits until it accepts connections, stops it by its pid.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';

/** A port the kernel just handed out on 127.0.0.1 (closed again, so the server can take it). */
export async function freePort() {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/**
 * `node [nodeArgs] script` with `env` added to this process's environment. Its stdout/stderr are kept
 * (the last 64 KiB) so a failed start or a crash can be shown.
 */
export async function startServer({ name, script, nodeArgs = [], env, port, cwd, startTimeoutMs = 30_000 }) {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    cwd,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    // The IPC channel is how the bench talks to bench/support/group-commit-probe.cjs inside the app.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk) => {
    output = (output + chunk.toString()).slice(-65_536);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = once(child, 'exit');
  const server = {
    name,
    pid: child.pid,
    port,
    output: () => output,
    /** Sends `message` over the IPC channel and resolves with the first answer for which `pick` gives a value. */
    async ask(message, pick, timeoutMs = 10_000) {
      const answer = new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name} did not answer ${message} within ${timeoutMs} ms`)), timeoutMs);
        const onMessage = (received) => {
          const value = pick(received);
          if (value === undefined) return;
          clearTimeout(timer);
          child.off('message', onMessage);
          resolve(value);
        };
        child.on('message', onMessage);
      });
      child.send(message);
      return answer;
    },
    /** `signal` (SIGTERM: Nest's shutdown hooks close the store) to this pid only; SIGKILL after 10 s. */
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
  const deadline = Date.now() + startTimeoutMs;
  while (!(await accepts(port))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before listening:\n${output}`);
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${name} did not listen on ${port} within ${startTimeoutMs} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return server;
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
