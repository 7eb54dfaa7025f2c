/**
 * A TCP proxy that injects network faults on a client <-> broker path: pass, cut, blackhole,
 * latency (DESIGN.md "Faults": network).
 *
 * Why hand-written: Toxiproxy, the usual tool, is a Go binary; it cannot be installed here (no
 * registry answers for its image or release binary, and no npm package ships it), and the four
 * modes ackcheck needs fit in one small module on `node:net`. Everything it does:
 *
 * - `pass`: bytes flow both ways unchanged (with back-pressure);
 * - `cut`: every live connection is reset on both sides, and new connections are accepted and
 *   reset at once (the client sees ECONNRESET) until `heal()`;
 * - `blackhole`: connections stay open but nothing is delivered in either direction; what the
 *   peers send is *buffered* in order (as TCP would retransmit it once a partition heals) and
 *   delivered on `heal()`. Dropping bytes instead would corrupt the framing of the AMQP / Kafka
 *   stream, which no real network does to an open TCP connection;
 * - `latency`: every chunk, in both directions, is delivered `latencyMs` after it arrived, in
 *   order. `heal()` delivers what is still waiting at once.
 *
 * `stop()` closes the listening socket and every connection and clears every timer.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { AckcheckError } from '../errors.ts';
import type { NetworkEffect } from '../model/history.ts';

export type ProxyMode = 'pass' | 'cut' | 'blackhole' | 'latency';

/**
 * What the proxy did so far (a fault's effect is the difference across it): connections
 * accepted and forwarded, connections reset by a cut (live or refused), chunks held back by a
 * blackhole, chunks delayed by latency.
 */
export type ProxyStats = NetworkEffect;

export interface ProxyOptions {
  /** Where connections are forwarded to. */
  readonly target: { readonly host: string; readonly port: number };
  /** Address to listen on. Default 127.0.0.1. */
  readonly host?: string;
  /** Port to listen on. Default: a free port. */
  readonly port?: number;
}

/** Held-back bytes per direction above which the proxy stops reading from that side. */
const HIGH_WATER = 16 * 1024 * 1024;

/** One direction of one connection: chunks from `from`, in order, to `to`. */
class Lane {
  readonly #queue: { chunk: Buffer; due: number }[] = [];
  #bytes = 0;
  #ending = false;
  #timer: NodeJS.Timeout | undefined;
  readonly #from: Socket;
  readonly #to: Socket;
  readonly #proxy: TcpProxy;

  constructor(from: Socket, to: Socket, proxy: TcpProxy) {
    this.#from = from;
    this.#to = to;
    this.#proxy = proxy;
    from.on('data', (chunk: Buffer) => this.#push(chunk));
    // A half-close is passed on once what is queued has been delivered.
    from.once('end', () => {
      this.#ending = true;
      this.flush();
    });
  }

  #push(chunk: Buffer): void {
    const mode = this.#proxy.mode;
    const delay = mode === 'latency' ? this.#proxy.latencyMs : 0;
    if (mode === 'blackhole') this.#proxy.count('held');
    if (mode === 'latency') this.#proxy.count('delayed');
    this.#queue.push({ chunk, due: Date.now() + delay });
    this.#bytes += chunk.length;
    if (this.#bytes > HIGH_WATER) this.#from.pause();
    this.flush();
  }

  /** Delivers every chunk that is due (all of them in `pass`), in order; none in a blackhole. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#proxy.mode === 'blackhole' || this.#to.destroyed) return;
    const now = Date.now();
    const honourDue = this.#proxy.mode === 'latency';
    while (this.#queue.length > 0) {
      const next = this.#queue[0] as { chunk: Buffer; due: number };
      if (honourDue && next.due > now) {
        this.#timer = setTimeout(() => this.flush(), next.due - now);
        return;
      }
      this.#queue.shift();
      this.#bytes -= next.chunk.length;
      if (!this.#to.write(next.chunk) && !this.#from.isPaused()) {
        this.#from.pause();
        this.#to.once('drain', () => this.#from.resume());
      }
    }
    if (this.#ending) this.#to.end();
    else if (this.#bytes <= HIGH_WATER && this.#from.isPaused() && this.#to.writableNeedDrain === false) {
      this.#from.resume();
    }
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#queue.length = 0;
    this.#bytes = 0;
  }
}

interface Connection {
  readonly client: Socket;
  readonly upstream: Socket;
  readonly lanes: readonly Lane[];
}

/**
 * A fault-injecting TCP proxy. `await using proxy = await TcpProxy.start({ target })`.
 *
 * @example
 * await using proxy = await TcpProxy.start({ target: { host: '127.0.0.1', port: 5672 } });
 * proxy.cut(); // clients connected to proxy.port lose their connections
 * proxy.heal();
 */
export class TcpProxy implements AsyncDisposable {
  readonly #server: Server;
  readonly #target: ProxyOptions['target'];
  readonly #connections = new Set<Connection>();
  readonly #sockets = new Set<Socket>();
  #mode: ProxyMode = 'pass';
  #latencyMs = 0;
  #stopped = false;
  #stats = { connections: 0, reset: 0, held: 0, delayed: 0 };

  private constructor(server: Server, target: ProxyOptions['target']) {
    this.#server = server;
    this.#target = target;
    server.on('connection', (client) => this.#accept(client));
  }

  /** Starts listening; fails with PORT_IN_USE when `port` is taken. */
  static async start(options: ProxyOptions): Promise<TcpProxy> {
    const server = createServer({ noDelay: true, allowHalfOpen: true });
    const proxy = new TcpProxy(server, options.target);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new AckcheckError(
            'PORT_IN_USE',
            `The network-fault proxy cannot listen on ${host}:${options.port ?? 0}: ` +
              `${error.code === 'EADDRINUSE' ? 'the port is in use' : error.message}. ` +
              'Another ackcheck process may be injecting network faults on the same shared broker; ' +
              'run one at a time, or give each process its own broker.',
            { cause: error },
          ),
        ),
      );
      server.listen(options.port ?? 0, host, () => resolve());
    });
    return proxy;
  }

  /** The port clients connect to. */
  get port(): number {
    const address = this.#server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get mode(): ProxyMode {
    return this.#mode;
  }

  get latencyMs(): number {
    return this.#latencyMs;
  }

  get stats(): ProxyStats {
    return { ...this.#stats };
  }

  /** Live forwarded connections. */
  get liveConnections(): number {
    return this.#connections.size;
  }

  /** @internal used by the lanes */
  count(what: 'held' | 'delayed'): void {
    this.#stats[what] += 1;
  }

  /** Resets every live connection (both sides) and refuses new ones until heal(). */
  cut(): void {
    this.#mode = 'cut';
    for (const connection of this.#connections) {
      this.#stats.reset += 1;
      this.#drop(connection);
    }
  }

  /** Keeps connections open but delivers nothing (buffered, delivered on heal()). */
  blackhole(): void {
    this.#mode = 'blackhole';
  }

  /** Delays every chunk by `latencyMs`, order kept, until heal(). */
  latency(latencyMs: number): void {
    if (!(Number.isFinite(latencyMs) && latencyMs >= 0))
      throw new RangeError(`latency: latencyMs must be a number >= 0, got ${latencyMs}`);
    this.#latencyMs = latencyMs;
    this.#mode = 'latency';
  }

  /** Back to pass: held and delayed chunks are delivered at once, in order. */
  heal(): void {
    this.#mode = 'pass';
    this.#latencyMs = 0;
    for (const connection of this.#connections) for (const lane of connection.lanes) lane.flush();
  }

  /** Closes the listening socket and every connection. Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    for (const connection of this.#connections) this.#drop(connection);
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }

  #track(socket: Socket): void {
    this.#sockets.add(socket);
    socket.once('close', () => this.#sockets.delete(socket));
    socket.on('error', () => undefined); // a reset peer is expected; the close handler cleans up
  }

  #accept(client: Socket): void {
    this.#track(client);
    if (this.#mode === 'cut' || this.#stopped) {
      this.#stats.reset += 1;
      closeAbruptly(client);
      return;
    }
    this.#stats.connections += 1;
    const upstream = createConnection({
      host: this.#target.host,
      port: this.#target.port,
      noDelay: true,
      allowHalfOpen: true,
    });
    this.#track(upstream);
    const connection: Connection = {
      client,
      upstream,
      lanes: [new Lane(client, upstream, this), new Lane(upstream, client, this)],
    };
    this.#connections.add(connection);
    const end = () => this.#drop(connection);
    client.once('close', end);
    upstream.once('close', end);
  }

  #drop(connection: Connection): void {
    if (!this.#connections.delete(connection)) return;
    for (const lane of connection.lanes) lane.close();
    for (const socket of [connection.client, connection.upstream])
      if (!socket.destroyed) closeAbruptly(socket);
  }
}

/**
 * Closes a socket with a reset (RST) where Node can, else with destroy(). resetAndDestroy() needs
 * a connected TCP handle, and must not meet a half-close in flight: after end() (a Lane passes a
 * peer's half-close on) libuv refuses the reset with EINVAL while the shutdown is pending, and
 * Node 22-24 then drops the handle without closing it. That socket never emits 'close', and at
 * exit Node's handle cleanup waits for it forever at 100% CPU: a script that called certify()
 * with network faults never ended.
 */
export function closeAbruptly(socket: Socket): void {
  if (socket.connecting || socket.pending || socket.writableEnded) socket.destroy();
  else socket.resetAndDestroy();
}
