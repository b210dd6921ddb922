/**
 * Slash-command latency under load: autocannon sends signed `/briefing` and `/country` requests to
 * Bolt's /slack/events, each with its own response_url pointing at a receiver here. The bot acks at
 * once and answers through response_url, so the figure that matters — how long a user waits for the
 * answer — is the time from sending the command to its answer arriving; the HTTP ack time is kept too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import autocannon from 'autocannon';
import { slackSignatureHeaders } from '../src/local/sign.js';
import { slashCommandForm } from '../src/local/to-bolt.js';

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
  /** Requests per second over all connections; autocannon sends each connection's per-second quota back
   * to back at the top of the second (bursts, not even pacing — see bench/README.md). Unpaced when absent. */
  rate?: number;
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
  const firstOfConnection = new Set<number>();
  const receiver = await listen((req, res) => {
    const n = Number(/^\/respond\/(\d+)$/.exec(req.url ?? '')?.[1]);
    req.resume();
    req.on('end', () => {
      if (Number.isInteger(n) && !answeredAt.has(n)) answeredAt.set(n, performance.now());
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });

  let sequence = 0;
  let settingUp = true;
  setImmediate(() => {
    settingUp = false;
  });
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: options.durationSec,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        method: 'POST',
        path: '/slack/events',
        setupRequest: (request, context) => {
          const n = sequence++;
          (context as { n?: number }).n = n;
          // autocannon builds each connection's first request while it sets up, before the run starts,
          // so its send time is not known: it is answered but left out of the latencies.
          if (settingUp) firstOfConnection.add(n);
          const mix = options.mix ?? COMMAND_MIX;
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
          sentAt.set(n, performance.now());
          return {
            ...request,
            body,
            headers: {
              'content-type': 'application/x-www-form-urlencoded',
              ...slackSignatureHeaders(options.signingSecret, body),
            },
          };
        },
        onResponse: (_status, _body, context) => {
          const n = (context as { n?: number }).n ?? -1;
          const sent = sentAt.get(n);
          if (sent !== undefined && !firstOfConnection.has(n)) acks.push(performance.now() - sent);
        },
      },
    ],
  });

  const deadline = performance.now() + DRAIN_MS;
  while (answeredAt.size < sentAt.size && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await receiver.close();

  const waits: number[] = [];
  for (const [n, at] of answeredAt) {
    const sent = sentAt.get(n);
    if (sent !== undefined && !firstOfConnection.has(n)) waits.push(at - sent);
  }
  return {
    sent: sentAt.size,
    answered: answeredAt.size,
    waits,
    acks,
    non2xx: result.non2xx,
    errors: result.errors,
    requestsPerSec: result.requests.average,
  };
}
