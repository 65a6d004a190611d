// One onnxruntime session on a thread of its own (node:worker_threads), so that inference never blocks the
// worker process's event loop: onnxruntime-node runs a session synchronously on the thread that calls it.
// Plain JavaScript, so that it loads the same way under tsx, vitest and Node. Protocol (threaded-session.ts):
//   workerData: { path, options }          → { type: 'ready', inputNames, outputNames, inputMetadata, outputMetadata }
//                                            or { type: 'failed', message }
//   { type: 'run', id, feeds }             → { type: 'result', id, outputs } or { type: 'error', id, message }
//   { type: 'release' }                    → releases the session; the thread then ends
// Tensors cross as { type, data, dims }; output data is copied out of onnxruntime's memory and transferred.
import { parentPort, workerData } from 'node:worker_threads';
import ort from 'onnxruntime-node';

const messageOf = (error) => (error instanceof Error ? error.message : String(error));

const ready = ort.InferenceSession.create(workerData.path, workerData.options);
ready.then(
  (session) =>
    parentPort.postMessage({
      type: 'ready',
      inputNames: session.inputNames,
      outputNames: session.outputNames,
      inputMetadata: session.inputMetadata,
      outputMetadata: session.outputMetadata,
    }),
  (error) => {
    parentPort.postMessage({ type: 'failed', message: messageOf(error) });
    parentPort.close();
  },
);

parentPort.on('message', async (message) => {
  if (message.type === 'release') {
    const session = await ready.catch(() => undefined);
    await session?.release().catch(() => undefined);
    parentPort.close();
    return;
  }
  if (message.type !== 'run') return;
  try {
    const session = await ready;
    const feeds = {};
    for (const [name, t] of Object.entries(message.feeds)) feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
    const results = await session.run(feeds);
    const outputs = {};
    const transfer = [];
    for (const [name, t] of Object.entries(results)) {
      const data = ArrayBuffer.isView(t.data) ? t.data.slice() : t.data;
      if (ArrayBuffer.isView(data)) transfer.push(data.buffer);
      outputs[name] = { type: t.type, data, dims: t.dims };
      if (typeof t.dispose === 'function') t.dispose();
    }
    parentPort.postMessage({ type: 'result', id: message.id, outputs }, transfer);
  } catch (error) {
    parentPort.postMessage({ type: 'error', id: message.id, message: messageOf(error) });
  }
});
