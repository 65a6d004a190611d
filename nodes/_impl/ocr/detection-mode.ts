/** How large images are detected: `fit` one copy scaled to maxSide; `tiles` overlapping maxSide tiles at full resolution; `auto` tiles when the longest side exceeds twice maxSide. */
export const detectionModes = ['auto', 'fit', 'tiles'] as const;
export type DetectionMode = (typeof detectionModes)[number];
