import type { RouterOutputs } from '../../_components/types';

/** What the Workers page reads from the API (dates are Unix ms or ISO strings). */
export type WorkerList = RouterOutputs['workers']['list'];
export type WorkerView = WorkerList['workers'][number];
export type QueueList = RouterOutputs['workers']['queue'];
export type QueuedRun = QueueList['runs'][number];
