import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The image is checked by reading its Dockerfile; it is built and started only where a container engine
 * answers (none runs on the machines this project is developed on: only the docker client is there).
 */
const dockerfile = readFileSync('Dockerfile', 'utf8');
const instructions = dockerfile
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith('#'))
  .map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
  });
const stages = instructions.reduce<Array<typeof instructions>>((all, instruction) => {
  if (instruction.keyword === 'FROM') all.push([]);
  all[all.length - 1]?.push(instruction);
  return all;
}, []);
const runtime = stages[stages.length - 1];
const argsOf = (stage: typeof instructions, keyword: string) => stage.filter((i) => i.keyword === keyword).map((i) => i.args);

describe('Dockerfile', () => {
  it('builds and runs on Node 24, the engines field admits it', () => {
    for (const stage of stages) expect(stage[0].args).toMatch(/^node:24[-.\w]*(\s+AS\s+\w+)?$/i);
    const engines = JSON.parse(readFileSync('package.json', 'utf8')).engines.node as string;
    expect(engines).toContain('^24');
  });

  it('runs as the unprivileged node user, keeps its data on a volume, and starts the built server', () => {
    const users = argsOf(runtime, 'USER');
    expect(users.at(-1)).toBe('node');
    expect(argsOf(runtime, 'VOLUME')).toContain('/data');
    expect(argsOf(runtime, 'ENV').join(' ')).toMatch(/SQLITE_PATH=\/data\//);
    expect(argsOf(runtime, 'CMD').at(-1)).toBe('["node", "dist/main.js"]');
    // What the build stage compiles to is what `npm run build` writes.
    expect(JSON.parse(readFileSync('tsconfig.build.json', 'utf8')).compilerOptions?.outDir ?? JSON.parse(readFileSync('tsconfig.json', 'utf8')).compilerOptions.outDir).toMatch(/dist/);
  });

  it('checks health on /health/ready, on the port the server listens on', () => {
    const check = argsOf(runtime, 'HEALTHCHECK').join(' ');
    expect(check).toContain('/health/ready');
    expect(check).toContain('process.env.PORT');
    expect(argsOf(runtime, 'EXPOSE')).toContain('8080');
  });

  it('copies only files that exist, and leaves secrets, data and local modules out of the build context', () => {
    const build = stages[0];
    for (const copy of argsOf(build, 'COPY')) {
      const sources = copy.split(/\s+/).slice(0, -1).filter((part) => !part.startsWith('--'));
      for (const source of sources) expect(existsSync(source), `${source} named by COPY`).toBe(true);
    }
    const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', '.env', 'data', '*.db', '.git']) expect(ignored).toContain(entry);
  });

  it('builds and answers its health check where a container engine runs', (context) => {
    const engine = spawnSync('docker', ['info'], { encoding: 'utf8', timeout: 10_000 });
    if (engine.status !== 0) {
      console.log('Dockerfile: not built here: no container engine answers `docker info` (only the client is installed)');
      context.skip('no container engine answers `docker info`');
    }
    const docker = (...args: string[]) => spawnSync('docker', args, { encoding: 'utf8', timeout: 15 * 60_000 });
    const built = docker('build', '-q', '-t', 'whatsapp-backend:test', '.');
    expect(built.status, built.stderr).toBe(0);
    const started = docker('run', '-d', '--rm', '-e', 'WA_PROVIDER=simulator', '--health-interval=1s', 'whatsapp-backend:test');
    expect(started.status, started.stderr).toBe(0);
    const container = started.stdout.trim();
    try {
      let health = '';
      for (let i = 0; i < 60 && health !== 'healthy'; i += 1) {
        spawnSync('sleep', ['1']);
        health = docker('inspect', '--format', '{{.State.Health.Status}}', container).stdout.trim();
      }
      expect(health).toBe('healthy');
    } finally {
      docker('rm', '-f', container);
    }
  }, 20 * 60_000);
});
