/**
 * Issue 11's table, as a new user meets it: the package is built, packed and installed from
 * the tarball into a project outside this repository, six processors with common mistakes
 * (and one correct NestJS-style CommonJS processor) are written there, and `ackcheck certify`
 * runs from that project's node_modules/.bin against the test's RabbitMQ (external mode). None
 * may be certified: each gets its own error code (exit 2) or a finding (exit 1).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers } from '../vitest/index.ts';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const rabbit = brokers('rabbitmq').at(-1);

interface Result {
  processor: string;
  status: string;
  reason?: string;
  runs: number;
  requestedRuns: number;
  processorError?: { code: string; message: string };
  counterexample?: {
    findings: Array<{ code: string; violation: boolean; detail: string; messageIds: string[] }>;
  };
}

function write(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** Processors of the table; state in files under `stateDir`, shared by workers and harness. */
function processors(stateDir: string): Record<string, string> {
  const store = `import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const dir = ${JSON.stringify(stateDir)};
mkdirSync(dir, { recursive: true });
export const reset = (ns: string): void => writeFileSync(\`\${dir}/\${ns}\`, '');
export const add = (ns: string, id: string): void => appendFileSync(\`\${dir}/\${ns}\`, \`\${id}\\n\`);
export const ids = (ns: string): string[] =>
  existsSync(\`\${dir}/\${ns}\`) ? [...new Set(readFileSync(\`\${dir}/\${ns}\`, 'utf8').split('\\n').filter(Boolean))].sort() : [];
`;
  const proc = (parts: string) => `import { add, ids, reset } from './store.ts';
void add; void ids; void reset;
export default {
  reset,
  async process(m: { id: string }, ctx: { namespace: string; worker: string }): Promise<void> { add(ctx.namespace, m.id); },
  snapshot: ids,
  ${parts}
};
`;
  return {
    'p/store.ts': store,
    'p/snapshot-throws.ts': proc(`snapshot: async () => { throw new Error('db is down'); },`),
    'p/reset-throws.ts': proc(`reset: () => { throw new Error('cannot create table'); },`),
    'p/not-json.ts': proc(`snapshot: (ns: string) => ({ n: BigInt(ids(ns).length), f: () => 1 }),`),
    'p/timestamp.ts': proc(`snapshot: (ns: string) => [{ ids: ids(ns), at: Date.now() + Math.random() }],`),
    // The state itself holds a time stamp: two snapshots agree, two reference runs do not.
    'p/stamps-state.ts': proc(`async process(m: { id: string }, ctx: { namespace: string }) {
    add(ctx.namespace, \`\${m.id}@\${Date.now()}\${Math.random()}\`);
  },`),
    'p/exits.ts': proc(`async process(m: { id: string }, ctx: { namespace: string; worker: string }) {
    if (ctx.worker !== 'reference') process.exit(3);
    add(ctx.namespace, m.id);
  },`),
    'p/hangs.ts': proc(`process: () => new Promise<void>(() => undefined),`),
    // A NestJS-style service in a CommonJS package: tsconfig paths alias, enum, decorator.
    'nest/package.json': JSON.stringify({ name: 'nest-app', private: true }),
    'nest/tsconfig.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'commonjs',
        experimentalDecorators: true,
        baseUrl: '.',
        paths: { '@store/*': ['src/store/*'] },
      },
    }),
    'nest/src/store/files.ts': store.replace(/\.\/store\.ts/g, ''),
    'nest/src/processor.ts': `import { add, ids, reset } from '@store/files';
enum Tag { Order = 'order' }
function Injectable(): ClassDecorator { return () => undefined; }
@Injectable()
class OrdersService {
  constructor(private readonly tag: Tag) {}
  handle(ns: string, id: string): void { add(ns, \`\${this.tag}:\${id}\`); }
}
const service = new OrdersService(Tag.Order);
export default {
  reset,
  async process(m: { id: string }, ctx: { namespace: string }): Promise<void> { service.handle(ctx.namespace, m.id); },
  snapshot: ids,
};
`,
  };
}

function certify(project: string, files: string[], env: Record<string, string>) {
  const args = [
    'certify',
    '--broker',
    'rabbitmq-4.0',
    '--runs',
    '2',
    '--max-messages',
    '3',
    '--faults',
    'processor-throw',
    '--shrink-time-limit',
    '1s',
    // Under the external broker's consumer timeout (4 s on ackcheck's RabbitMQ), which an
    // external broker's info does not carry.
    '--process-timeout',
    '3s',
    '--time-limit',
    '60s',
    '--format',
    'json,junit',
    '--json',
  ];
  writeFileSync(join(project, 'ackcheck.config.json'), JSON.stringify({ processors: files }));
  return new Promise<{ status: number | null; results: Result[]; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(join(project, 'node_modules/.bin/ackcheck'), args, {
        cwd: project,
        env: { ...process.env, CI: 'true', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`ackcheck certify did not end within 150 s\n${stderr}`));
      }, 150_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        try {
          const out = JSON.parse(stdout) as { results: Result[] };
          resolve({ status, results: out.results, stdout, stderr });
        } catch (error) {
          reject(new Error(`no JSON on stdout (${String(error)}): ${stdout}\n${stderr}`));
        }
      });
    },
  );
}

const byName = (results: Result[], name: string): Result => {
  const r = results.find((x) => x.processor.endsWith(name));
  if (!r) throw new Error(`no result for ${name}`);
  return r;
};

describe.runIf(rabbit)('the packed package, installed as a user installs it', () => {
  const project = mkdtempSync(join(tmpdir(), 'ackcheck-user-'));
  const env = { ACKCHECK_AMQP_URL: rabbit?.amqpUrl as string };

  beforeAll(() => {
    // Deadlines of their own: a synchronous call blocks vitest's hook timeout (an npm install
    // that could not reach the registry once hung a CI run for 13 minutes).
    execFileSync('npm', ['run', 'build'], { cwd: repo, stdio: 'ignore', timeout: 120_000 });
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], {
      cwd: repo,
      timeout: 60_000,
    })
      .toString()
      .trim()
      .split('\n')
      .at(-1) as string;
    write(project, {
      'package.json': JSON.stringify({ name: 'user-app', private: true, type: 'module' }),
      ...processors(join(project, 'state')),
    });
    // npm 11 runs no dependency install scripts unless approved; ackcheck needs none.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', join(project, tarball)], {
      cwd: project,
      stdio: 'ignore',
      timeout: 150_000,
    });
  }, 180_000);
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  it('errors of the processor stop certification with their own codes: exit 2, status error, never pass', async () => {
    const r = await certify(
      project,
      ['p/snapshot-throws.ts', 'p/reset-throws.ts', 'p/not-json.ts', 'p/timestamp.ts', 'p/stamps-state.ts'],
      env,
    );
    expect(r.status, r.stderr).toBe(2);
    const expected: Record<string, [string, RegExp]> = {
      'snapshot-throws.ts': ['PROCESSOR_SNAPSHOT_FAILED', /snapshot\(\) threw: db is down/],
      'reset-throws.ts': ['PROCESSOR_RESET_FAILED', /reset\(\) threw: cannot create table/],
      'not-json.ts': ['SNAPSHOT_NOT_JSON', /\$\.n is not a JSON value: bigint/],
      'timestamp.ts': [
        'SNAPSHOT_NONDETERMINISTIC',
        /two snapshots of the same state differ at \$\[0\]\.at .*leave time stamps/,
      ],
      'stamps-state.ts': [
        'SNAPSHOT_NONDETERMINISTIC',
        /two exactly-once reference runs over the same messages differ at \$\[0\]/,
      ],
    };
    for (const [name, [code, message]] of Object.entries(expected)) {
      const result = byName(r.results, name);
      expect(result, name).toMatchObject({ status: 'error', runs: 0, processorError: { code } });
      expect(result.processorError?.message).toMatch(message);
    }
  });

  it('a processor that kills its worker or hangs is a finding (exit 1); a NestJS-style CommonJS processor passes', async () => {
    const r = await certify(project, ['p/exits.ts', 'p/hangs.ts', 'nest/src/processor.ts'], env);
    expect(r.status, r.stderr).toBe(1);
    const exits = byName(r.results, 'exits.ts');
    expect(exits.status).toBe('fail');
    const liveness = exits.counterexample?.findings.find((f) => f.code === 'liveness');
    expect(liveness?.detail).toMatch(
      /Workers exited by themselves \d+ times \(not an injected fault\): w\d\S* with exit code 3 during process\(\) of m/,
    );
    const hangs = byName(r.results, 'hangs.ts');
    expect(hangs.status, hangs.reason).toBe('fail');
    expect(hangs.counterexample?.findings.find((f) => f.code === 'stuck-processing')).toMatchObject({
      violation: true,
      detail: expect.stringMatching(/^process\(\) did not settle within 3000 ms for m\d/),
    });
    expect(byName(r.results, 'processor.ts')).toMatchObject({ status: 'pass', runs: 2, requestedRuns: 2 });
  });
});
