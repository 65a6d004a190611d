import { NodeError } from '../errors';
import type { Latent } from '../_impl/diffusion/latent';
import type { DiffusionModel, SampleShape } from '../_impl/diffusion/model';

/** A latent's [C, H, W], refused as invalid_input on `port` when it does not fit the model. */
export function latentShapeFor(model: DiffusionModel, latent: Latent, port = 'latent'): SampleShape {
  const shape: SampleShape = [latent.shape[1], latent.shape[2], latent.shape[3]];
  if (!model.fitsShape(shape)) throw new NodeError('invalid_input', `latent shape ${latent.shape.join('x')} does not fit diffusion model '${model.name}'`, { port });
  return shape;
}
