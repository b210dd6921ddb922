/**
 * Slash-command latency under load: signed `/briefing` and `/country` requests to Bolt's
 * /slack/events, each with its own response_url pointing at a receiver here. The bot acks at once and
 * answers through response_url, so the figure that matters — how long a user waits for the answer — is
 * the time from sending the command to its answer arriving; the HTTP ack time is kept too.
 *
 * Commands arrive open-loop as a Poisson process (independent users typing: seeded exponential gaps
 * averaging 1/rate), over a fixed pool of keep-alive connections. The load is not held back by the
 * bot's answers, so a slow store shows as waiting rather than as a lower rate. (autocannon, used here
 * before, sends each connection's per-second quota back to back at the top of every second: 40
 * commands in one burst, then nothing — a load shape no desk makes, which measured queueing behind
 * the burst rather than the store.)
 */
import { Agent, createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slackSignatureHeaders } from '../src/local/sign.js';
import { slashCommandForm } from '../src/local/to-bolt.js';
import { rng } from './random.js';

/** Commands a desk would type: recent and old days, countries over the default and long periods. */
export const COMMAND_MIX: ReadonlyArray<{ command: string; text: string }> = [
  { command: '/briefing', text: '' },
  { command: '/briefing', text: 'yesterday' },
  { command: '/briefing', text: 'latest' },
  { command: '/briefing', text: 'Oct 7, 2021' },
  { command: '/briefing', text: '2019-03-04' },
  { command: '/country', text: 'Mexico' },
  { command: '/country', text: 'Peru' },
  { command: '/country', text: 'Brazil in October 2021' },
  { command: '/country', text: 'Haiti all' },
  { command: '/country', text: 'Venezuelan 2020' },
];

/** Archive searches a desk would type: names, topics, typos, prefixes, periods, nothing found. */
export const SEARCH_MIX: ReadonlyArray<{ command: string; text: string }> = [
  { command: '/briefing', text: 'search castillo' },
  { command: '/briefing', text: 'search president' },
  { command: '/briefing', text: 'search security talks mexico' },
  { command: '/briefing', text: 'search haiti gangs last year' },
  { command: '/briefing', text: 'search migra' },
  { command: '/briefing', text: 'search venezuela electon' },
  { command: '/briefing', text: 'search protests police 2021' },
  { command: '/briefing', text: 'search brazil amazon deforestation' },
  { command: '/briefing', text: 'search xyzzy' },
];

/** How long to wait after the load for answers still on their way. */
const DRAIN_MS = 5_000;
const TEAM = { teamId: 'T0BENCH', teamDomain: 'bench', appId: 'A0BENCH' };

export interface CommandLoadOptions {
  port: number;
  signingSecret: string;
  durationSec: number;
  connections: number;
  /** Commands per second on average over all connections (Poisson arrivals). */
  rate: number;
  /** Seeds the arrival times, so every run sends the same schedule (1 by default). */
  seed?: number;
  /** The commands sent in turn (COMMAND_MIX by default). */
  mix?: ReadonlyArray<{ command: string; text: string }>;
}

export interface CommandLoadResult {
  sent: number;
  answered: number;
  /** Per command: sent → answer received at its response_url, in ms. */
  waits: number[];
  /** Per command: sent → Bolt's HTTP ack, in ms. */
  acks: number[];
  non2xx: number;
  errors: number;
  requestsPerSec: number;
}

function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server = createServer(handler);
  return new Promise<{ port: number; close: () => Promise<void> }>((resolve) => {
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      }),
    );
  });
}

export async function commandLoad(options: CommandLoadOptions): Promise<CommandLoadResult> {
  const sentAt = new Map<number, number>();
  const answeredAt = new Map<number, number>();
  const acks: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const receiver = await listen((req, res) => {
    const n = Number(/^\/respond\/(\d+)$/.exec(req.url ?? '')?.[1]);
    req.resume();
    req.on('end', () => {
      if (Number.isInteger(n) && !answeredAt.has(n)) answeredAt.set(n, performance.now());
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const mix = options.mix ?? COMMAND_MIX;
  const arrivals = rng(options.seed ?? 1);
  const inFlight = new Set<Promise<void>>();

  const send = (n: number, at: number): Promise<void> => {
    const { command, text } = mix[n % mix.length]!;
    const body = slashCommandForm(
      TEAM,
      {
        command,
        text,
        userId: 'U0BENCH',
        userName: 'bench',
        channelId: 'C0BRIEFING',
        channelName: 'briefings',
      },
      `http://127.0.0.1:${receiver.port}/respond/${n}`,
    );
    // The wait counts from the command's arrival time, so time spent waiting for a free connection
    // (all busy) is the bot's slowness too, as it would be for a user.
    sentAt.set(n, at);
    return new Promise<void>((done) => {
      const req = request(
        {
          agent,
          host: '127.0.0.1',
          port: options.port,
          method: 'POST',
          path: '/slack/events',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
            ...slackSignatureHeaders(options.signingSecret, body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if ((res.statusCode ?? 0) >= 300) non2xx++;
            else acks.push(performance.now() - at);
            done();
          });
        },
      );
      req.on('error', () => {
        errors++;
        done();
      });
      req.end(body);
    });
  };

  const startedAt = performance.now();
  const endAt = startedAt + options.durationSec * 1000;
  let nextAt = startedAt;
  let sequence = 0;
  for (;;) {
    // Exponential gap: -ln(U)/rate seconds, U in (0, 1].
    nextAt += (-Math.log(1 - arrivals.next()) / options.rate) * 1000;
    if (nextAt >= endAt) break;
    const wait = nextAt - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const sending = send(sequence++, nextAt);
    inFlight.add(sending);
    void sending.then(() => inFlight.delete(sending));
  }
  await Promise.all(inFlight);
  agent.destroy();

  const deadline = performance.now() + DRAIN_MS;
  while (answeredAt.size < sentAt.size && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await receiver.close();

  const waits: number[] = [];
  for (const [n, at] of answeredAt) {
    const sent = sentAt.get(n);
    if (sent !== undefined) waits.push(at - sent);
  }
  return {
    sent: sentAt.size,
    answered: answeredAt.size,
    waits,
    acks,
    non2xx,
    errors,
    requestsPerSec: sentAt.size / options.durationSec,
  };
}
