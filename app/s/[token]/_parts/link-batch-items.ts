import { batchSourceOf, maxBatchItems, type BatchSource } from '../../../graphs/[graphId]/_editor/batch-items';
import type { AppInput } from './app-inputs';

/** The declared inputs a batch through the link may vary: images first (one run per picked image), then numbers and text. */
export function variableInputs(inputs: readonly AppInput[]): (AppInput & { source: BatchSource })[] {
  const eligible = inputs.flatMap((input) => {
    const source = batchSourceOf(input.kind);
    return source ? [{ ...input, source }] : [];
  });
  return [...eligible.filter((i) => i.source === 'images'), ...eligible.filter((i) => i.source === 'values')];
}

/**
 * Why a batch of `count` items cannot start through the link, before anything is uploaded or sent: none picked,
 * more than a batch takes, or more runs than the link allows the caller for the next hour (each item counts).
 * A ZIP's images are counted once it is unpacked (the server then refuses a batch over the limit).
 */
export function batchCountProblem(count: number, left: number, source: BatchSource): string | undefined {
  if (count === 0) return source === 'images' ? 'Pick at least one image or ZIP' : 'Enter at least one value';
  if (count > maxBatchItems) return `At most ${maxBatchItems} items a batch`;
  if (count > left) return left === 0 ? 'This link allows you no more runs this hour; try again later' : `This link allows you ${left} more ${left === 1 ? 'run' : 'runs'} this hour: a batch of ${count} is too many`;
  return undefined;
}
