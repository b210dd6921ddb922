/**
 * The search index's build thread (build.ts starts it): reads the month files it is given, oldest first,
 * indexes every briefing as the bot's thread would, and hands the index back as one Segment whose
 * buffers are transferred. All the build's garbage — each month parsed and dropped, postings arrays
 * outgrown — dies with this thread instead of staying resident in the bot's old generation.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { readMonthSync } from '../store/files.js';
import { StoryIndex, segmentBuffers } from './story-index.js';

const port = parentPort;
if (!port) throw new Error('src/search/search-worker.ts runs as a worker thread only');
const { paths } = (workerData as { data: { paths: string[] } }).data;

const index = new StoryIndex();
for (const path of paths) {
  let month: ReturnType<typeof readMonthSync>;
  try {
    month = readMonthSync(path);
  } catch (error) {
    // A month listed at open but never written (its first write pending) has no file: nothing of it here.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
    throw error;
  }
  for (const briefing of month.briefings) {
    if (!index.has(briefing.id)) index.add(briefing.id, briefing.date, briefing.briefing);
  }
}
const segment = index.exportSegment();
port.postMessage(segment, segmentBuffers(segment));
