import type { Conditioning, DiffusionModel } from '../_impl/diffusion/model';

/** The conditioning a node's params ask for: classLabel for class models, prompt/negativePrompt for text models. */
export function conditionFrom(model: DiffusionModel, params: { classLabel: string; prompt: string; negativePrompt: string }): Promise<Conditioning> {
  return model.condition({ classLabel: params.classLabel, prompt: params.prompt, negativePrompt: params.negativePrompt });
}
