// The status drain thread: applies the webhook inbox on a thread and a SQLite connection of its
// own, so the thread that sends and answers webhooks never spends its time on it.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/db.ts';
import { StatusDrain } from './status-drain.ts';
import {
  type DrainWorkerData,
  drainWakeUp,
  type FromDrainWorker,
  type ToDrainWorker,
} from './status-drain-protocol.ts';

const port = parentPort;
if (!port) throw new Error('status-drain-worker runs only as a worker thread');
const data = workerData as DrainWorkerData;
const post = (message: FromDrainWorker) => port.postMessage(message);
const wakeUp = drainWakeUp(data.drainAsked);

const database = openDatabase({ kind: 'sqlite', path: data.path }, { sharedWriteLock: data.writeLock });
const drain = new StatusDrain(database, () => Date.now() + data.clockOffsetMs, {
  applied: (sample) => post({ type: 'applied', sample }),
  log: (level, { err, ...fields }, message) =>
    post({ type: 'log', level, message, fields, ...(err ? { err: { message: err.message, stack: err.stack } } : {}) }),
  storagePaused: (isPaused) => post({ type: 'storage', isPaused }),
});

const stop = async () => {
  await drain.close();
  await database.close();
  port.close();
};

port.on('message', (message: ToDrainWorker) => {
  if (message.type === 'drain') {
    wakeUp.heard();
    drain.request();
  } else if (message.type === 'settle') void drain.settled().then(() => post({ type: 'settled', id: message.id }));
  else void stop();
});
drain.start();
