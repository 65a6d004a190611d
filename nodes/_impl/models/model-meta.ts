/**
 * What a param schema says about models, importable in the browser (no node: modules).
 * A string param that names an installed model carries `"x-pixelwire-models": <kind>` in its
 * JSON Schema (set with zod's .meta); the editor shows it as a picker of the installed models.
 */
export const modelsMetaKey = 'x-pixelwire-models';

/** Kinds whose installed models can be listed and picked. */
export const pickableModelKinds = ['style', 'diffusion'] as const;
export type PickableModelKind = (typeof pickableModelKinds)[number];

/** Installed model names per kind, sorted; what catalogue.models returns. */
export type InstalledModels = Record<PickableModelKind, string[]>;

/**
 * What the editor needs to know about an installed diffusion model to show the params that
 * apply to it (catalogue.diffusionModels): pixel or latent space, conditioned on class labels
 * or text, and the class labels of a class-conditioned model (from its manifest).
 */
export interface DiffusionModelFacts {
  space: 'pixel' | 'latent';
  conditioning: 'class' | 'text';
  classes: string[];
}
