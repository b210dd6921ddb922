/** Child process for lock.test.ts: opens the store on DATA_DIR, says "ready" and keeps it open. */
import { openStore } from '../../src/store/index.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: lock-holder DATA_DIR');
await openStore({ dataDir });
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
