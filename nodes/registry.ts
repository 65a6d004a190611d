import { NodeRegistry } from './node-registry';
import { diffusionAddNoiseNode } from './diffusion/add-noise.node.ts';
import { diffusionDecodeNode } from './diffusion/decode.node.ts';
import { diffusionEncodeNode } from './diffusion/encode.node.ts';
import { diffusionLoadModelNode } from './diffusion/load-model.node.ts';
import { diffusionNoiseNode } from './diffusion/noise.node.ts';
import { diffusionSampleNode } from './diffusion/sample.node.ts';
import { diffusionStepNode } from './diffusion/step.node.ts';
import { adjustNode } from './image/colour/adjust.node.ts';
import { equalizeHistogramNode } from './image/colour/equalize-histogram.node.ts';
import { grayscaleNode } from './image/colour/grayscale.node.ts';
import { invertNode } from './image/colour/invert.node.ts';
import { blendNode } from './image/composite/blend.node.ts';
import { compositeNode } from './image/composite/composite.node.ts';
import { drawBoxesNode } from './image/composite/draw-boxes.node.ts';
import { drawTextNode } from './image/composite/draw-text.node.ts';
import { edgeDetectNode } from './image/filter/edge-detect.node.ts';
import { gaussianBlurNode } from './image/filter/gaussian-blur.node.ts';
import { morphologyNode } from './image/filter/morphology.node.ts';
import { pencilSketchNode } from './image/filter/pencil-sketch.node.ts';
import { sharpenNode } from './image/filter/sharpen.node.ts';
import { thresholdNode } from './image/filter/threshold.node.ts';
import { loadImageNode } from './image/io/load-image.node.ts';
import { saveImageNode } from './image/io/save-image.node.ts';
import { cropNode } from './image/transform/crop.node.ts';
import { resizeNode } from './image/transform/resize.node.ts';
import { rotateNode } from './image/transform/rotate-flip.node.ts';
import { ocrDetectNode } from './ocr/detect.node.ts';
import { ocrReadNode } from './ocr/read.node.ts';
import { ocrRecognizeNode } from './ocr/recognize.node.ts';
import { cartoonNode } from './style/cartoon.node.ts';
import { colourTransferNode } from './style/colour-transfer.node.ts';
import { fastStyleNode } from './style/fast-style.node.ts';
import { oilPaintNode } from './style/oil-paint.node.ts';
import { rerouteNode } from './util/reroute.node.ts';
import { showNode } from './util/show.node.ts';

/** Every built-in node type. Explicit on purpose: a node exists when it is listed here. */
export const builtinNodes = [
  loadImageNode,
  saveImageNode,
  resizeNode,
  cropNode,
  rotateNode,
  grayscaleNode,
  invertNode,
  adjustNode,
  equalizeHistogramNode,
  gaussianBlurNode,
  sharpenNode,
  thresholdNode,
  morphologyNode,
  edgeDetectNode,
  pencilSketchNode,
  blendNode,
  compositeNode,
  drawBoxesNode,
  drawTextNode,
  fastStyleNode,
  cartoonNode,
  oilPaintNode,
  colourTransferNode,
  ocrReadNode,
  ocrDetectNode,
  ocrRecognizeNode,
  diffusionLoadModelNode,
  diffusionNoiseNode,
  diffusionStepNode,
  diffusionSampleNode,
  diffusionDecodeNode,
  diffusionEncodeNode,
  diffusionAddNoiseNode,
  rerouteNode,
  showNode,
] as const;

export const builtinRegistry = new NodeRegistry(builtinNodes);
