import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeAbruptly, TcpProxy } from './proxy.ts';

/** An echo server that also remembers every byte it received. */
interface Echo {
  server: Server;
  port: number;
  received: () => string;
  sockets: Set<Socket>;
}

async function startEcho(): Promise<Echo> {
  let received = '';
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      received += chunk.toString();
      socket.write(chunk);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, port, received: () => received, sockets };
}

/** A client that collects what it reads and resolves when `text` has arrived. */
function client(port: number) {
  const socket = connect({ host: '127.0.0.1', port });
  socket.on('error', () => undefined);
  let data = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  socket.on('data', (chunk) => {
    data += chunk.toString();
    for (const w of waiters.splice(0)) {
      if (data.includes(w.text)) w.resolve();
      else waiters.push(w);
    }
  });
  // Not events.once(): it rejects on the ECONNRESET that a cut causes.
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    socket,
    closed,
    data: () => data,
    connected: new Promise<void>((resolve) => socket.once('connect', () => resolve())),
    received: (text: string) =>
      new Promise<void>((resolve) => {
        if (data.includes(text)) resolve();
        else waiters.push({ text, resolve });
      }),
  };
}

/** Waits (polling the event loop) until `condition` holds; the test's own timeout bounds it. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
}

describe('TcpProxy', () => {
  let echo: Echo;
  let proxy: TcpProxy;

  beforeEach(async () => {
    echo = await startEcho();
    proxy = await TcpProxy.start({ target: { host: '127.0.0.1', port: echo.port } });
  });

  afterEach(async () => {
    await proxy.stop();
    for (const s of echo.sockets) s.destroy();
    await new Promise((r) => echo.server.close(r));
  });

  it('passes bytes both ways', async () => {
    const c = client(proxy.port);
    c.socket.write('hello');
    await c.received('hello');
    expect(echo.received()).toBe('hello');
    expect(proxy.stats.connections).toBe(1);
    c.socket.destroy();
  });

  it('cut resets live connections and refuses new ones; heal lets clients connect again', async () => {
    const live = client(proxy.port);
    live.socket.write('a');
    await live.received('a');
    proxy.cut();
    await live.closed;
    expect(proxy.liveConnections).toBe(0);

    const refused = client(proxy.port);
    refused.socket.write('lost');
    await refused.closed;
    expect(refused.data()).toBe('');
    expect(echo.received()).toBe('a');
    expect(proxy.stats.reset).toBe(2);

    proxy.heal();
    const again = client(proxy.port);
    again.socket.write('back');
    await again.received('back');
    expect(echo.received()).toBe('aback');
    again.socket.destroy();
  });

  it('blackhole keeps the connection but delivers nothing until heal, then everything in order', async () => {
    const c = client(proxy.port);
    c.socket.write('1');
    await c.received('1');
    proxy.blackhole();
    c.socket.write('2');
    c.socket.write('3');
    await until(() => proxy.stats.held >= 1 && echo.received().length === 1);
    // The proxy has read the bytes and holds them: the server has not seen them.
    expect(echo.received()).toBe('1');
    expect(c.data()).toBe('1');
    expect(proxy.liveConnections).toBe(1);
    proxy.heal();
    await c.received('123');
    expect(echo.received()).toBe('123');
    expect(c.socket.destroyed).toBe(false);
    c.socket.destroy();
  });

  it('latency delays every chunk and keeps their order', async () => {
    const c = client(proxy.port);
    await c.connected;
    proxy.latency(20);
    const sent = Array.from({ length: 40 }, (_, i) => `<${i}>`);
    for (const s of sent) {
      c.socket.write(s);
      await new Promise((r) => setImmediate(r));
    }
    await c.received('<39>');
    expect(c.data()).toBe(sent.join(''));
    expect(echo.received()).toBe(sent.join(''));
    expect(proxy.stats.delayed).toBeGreaterThan(0);
    proxy.heal();
    c.socket.write('x');
    await c.received('x');
    c.socket.destroy();
  });

  it('heal delivers chunks still delayed by latency at once, in order', async () => {
    const c = client(proxy.port);
    await c.connected;
    proxy.latency(60_000);
    c.socket.write('slow');
    await until(() => proxy.stats.delayed >= 1);
    expect(echo.received()).toBe('');
    proxy.heal();
    await c.received('slow');
    c.socket.destroy();
  });

  it('stop closes every socket on both sides and leaves no handle behind', async () => {
    const clients = [client(proxy.port), client(proxy.port), client(proxy.port)];
    for (const [i, c] of clients.entries()) {
      c.socket.write(`c${i}`);
      await c.received(`c${i}`);
    }
    expect(echo.sockets.size).toBe(3);
    proxy.blackhole();
    clients[0]?.socket.write('held');
    const port = proxy.port;
    await proxy.stop();
    await Promise.all(clients.map((c) => c.closed));
    await until(() => echo.sockets.size === 0);
    expect(proxy.liveConnections).toBe(0);
    // The echo server itself is the only TCP handle left (earlier tests' sockets finish closing too).
    await until(() => tcpHandles() <= 1);
    expect(tcpHandles()).toBe(1);
    await expect(
      new Promise((resolve, reject) => {
        const s = connect({ host: '127.0.0.1', port });
        s.on('connect', () => resolve(s.destroy()));
        s.on('error', reject);
      }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a port in use fails with PORT_IN_USE and says what to do', async () => {
    await expect(
      TcpProxy.start({ target: { host: '127.0.0.1', port: echo.port }, port: proxy.port }),
    ).rejects.toMatchObject({ code: 'PORT_IN_USE', message: expect.stringMatching(/one at a time/) });
  });

  it('an unreachable target closes the client connection', async () => {
    await new Promise((r) => echo.server.close(r));
    const c = client(proxy.port);
    await c.closed;
    expect(proxy.liveConnections).toBe(0);
    echo.server = createServer();
  });

  it('closeAbruptly closes a socket whose half-close is in flight (resetAndDestroy would leak its handle)', async () => {
    const server = createServer({ allowHalfOpen: true }, (s) => s.pause());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const socket = connect({ port: (server.address() as { port: number }).port, host: '127.0.0.1' });
    await once(socket, 'connect');
    const errors: string[] = [];
    socket.on('error', (e: NodeJS.ErrnoException) => errors.push(e.code ?? e.message));
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.write('x');
    socket.end(); // _final issues the shutdown on a later tick: close while it is pending
    await new Promise<void>((resolve) =>
      process.nextTick(() => process.nextTick(() => queueMicrotask(resolve))),
    );
    closeAbruptly(socket);
    for (let i = 0; i < 40 && !closed; i++) await new Promise((r) => setTimeout(r, 50));
    // With resetAndDestroy(): error EINVAL, never 'close', and the test process would never exit.
    expect(errors).toEqual([]);
    expect(closed).toBe(true);
    server.close();
  });
});
