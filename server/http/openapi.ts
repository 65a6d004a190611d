import { z } from 'zod';
import { zStartBatch, zStartRun } from '../services/run-service';

const error = {
  description: 'Error',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          error: {
            type: 'object',
            properties: { code: { type: 'string' }, message: { type: 'string' }, details: { type: 'object' } },
            required: ['code', 'message'],
          },
        },
      },
    },
  },
};
const errors = { 400: error, 401: error, 403: error, 404: error, 413: error, 415: error };
const idParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
/**
 * zod's JSON Schema for the run body, its $defs (the recursive JSON value) moved to
 * components.schemas: inside an OpenAPI document "#/$defs/…" would resolve against the document root.
 */
const { $schema: _dialect, $defs: runBodyDefs = {}, ...runBodySchema } = z.toJSONSchema(zStartRun.omit({ graphId: true }), { io: 'input', unrepresentable: 'any' });
const toComponents = <T>(schema: T): T => JSON.parse(JSON.stringify(schema).replaceAll('"#/$defs/', '"#/components/schemas/'));
const runBody = toComponents(runBodySchema);
const { $schema: _batchDialect, $defs: _batchDefs, ...batchBodySchema } = z.toJSONSchema(zStartBatch.omit({ graphId: true }), { io: 'input', unrepresentable: 'any' });
const batchBody = toComponents(batchBodySchema);
const batch = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    graphId: { type: 'string' },
    access: { enum: ['graph', 'link'], description: 'graph: you have a role on the graph; link: you started the batch through a run link (you may follow and cancel it, nothing more)' },
    graphName: { type: ['string', 'null'], description: 'The graph’s name (through a link: only while the link works)' },
    total: { type: 'integer' },
    done: { type: 'integer', description: 'Items that ended (any status)' },
    counts: { type: 'object', description: 'Items by status: queued, running, succeeded, failed, cancelled, interrupted' },
    runs: { type: 'array', items: { type: 'object', description: 'Each item’s run: id, status, inputs, outputs, error' } },
  },
};
const run = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    graphId: { type: 'string' },
    status: { enum: ['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted'] },
    inputs: { type: 'object' },
    outputs: { type: ['object', 'null'], description: 'Graph outputs: images as { kind, artifactId (sha256), width, height, preview }, others as { kind, value }' },
    error: { type: ['object', 'null'] },
    version: { type: 'object', properties: { id: { type: 'string' }, number: { type: 'integer' } } },
    createdAt: { type: 'string', format: 'date-time' },
    startedAt: { type: ['string', 'null'], format: 'date-time' },
    finishedAt: { type: ['string', 'null'], format: 'date-time' },
  },
};

/** OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: { title: 'Pixelwire HTTP API', version: '1.0.0', description: 'Run saved pipelines from scripts. Authenticate with a personal API token.' },
    servers: [{ url: '/api/v1' }],
    components: {
      schemas: toComponents(runBodyDefs),
      securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'A personal API token (pwt_…), created in settings' } },
    },
    security: [{ token: [] }],
    paths: {
      '/graphs/{graphId}/runs': {
        post: {
          summary: 'Run a saved graph',
          description: 'Starts a run of the head version (or `version`). Image inputs take an artifact id, or upload the image in a multipart part named after the input.',
          parameters: [idParam('graphId')],
          requestBody: {
            content: {
              'application/json': { schema: runBody },
              'multipart/form-data': {
                schema: {
                  type: 'object',
                  properties: { inputs: { type: 'string', description: 'JSON object of non-image inputs' }, version: { type: 'integer' } },
                  additionalProperties: { type: 'string', format: 'binary', description: 'An image for the graph input of this name' },
                },
              },
            },
          },
          responses: { 201: { description: 'The queued run', content: { 'application/json': { schema: run } } }, ...errors },
        },
      },
      '/graphs/{graphId}/batches': {
        post: {
          summary: 'Run a saved graph over many inputs',
          description: 'One run per item (1–500). Every item is checked first: when one is refused, nothing starts and the error names it (`details.item`, 0-based).',
          parameters: [idParam('graphId')],
          requestBody: { content: { 'application/json': { schema: batchBody } } },
          responses: { 201: { description: 'The batch and its queued runs' }, ...errors },
        },
      },
      '/batches/{batchId}': {
        get: { summary: 'A batch: progress, counts and each item’s result', parameters: [idParam('batchId')], responses: { 200: { description: 'The batch', content: { 'application/json': { schema: batch } } }, ...errors } },
      },
      '/batches/{batchId}/cancel': {
        post: { summary: 'Cancel the items still queued or running', parameters: [idParam('batchId')], responses: { 200: { description: 'How many were cancelled' }, ...errors } },
      },
      '/batches/{batchId}/outputs.zip': {
        get: { summary: 'Every image output of the succeeded items, plus results.json', parameters: [idParam('batchId')], responses: { 200: { description: 'A ZIP file', content: { 'application/zip': {} } }, ...errors } },
      },
      '/runs/{runId}': {
        get: { summary: 'A run with its status, outputs and per-node outcome', parameters: [idParam('runId')], responses: { 200: { description: 'The run', content: { 'application/json': { schema: run } } }, ...errors } },
      },
      '/runs/{runId}/outputs.zip': {
        get: {
          summary: 'Download all of a finished run: graph outputs, the files its nodes saved (PNGs carry the graph), results.json',
          parameters: [idParam('runId')],
          responses: { 200: { description: 'A ZIP file', content: { 'application/zip': {} } }, ...errors },
        },
      },
      '/runs/{runId}/cancel': {
        post: { summary: 'Cancel a queued or running run', parameters: [idParam('runId')], responses: { 200: { description: 'Whether the cancel was accepted' }, ...errors } },
      },
      '/runs/{runId}/files/{sha256}': {
        get: {
          summary: 'Download a preview or output file of a run',
          description: 'Files are named by sha256 in the run’s outputs (`outputs.<name>.artifactId`, `preview.artifactId`) and events.',
          parameters: [idParam('runId'), { name: 'sha256', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }],
          responses: { 200: { description: 'The file', content: { 'image/*': {} } }, ...errors },
        },
      },
      '/runs/{runId}/events': {
        get: {
          summary: 'The run’s events as server-sent events',
          description: 'Every event from the start (or after the Last-Event-ID header), then live ones until the run ends with `event: end`.',
          parameters: [idParam('runId'), { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string' } }],
          responses: { 200: { description: 'text/event-stream', content: { 'text/event-stream': { schema: { type: 'string' } } } }, ...errors },
        },
      },
      '/artifacts': {
        post: {
          summary: 'Upload an image',
          description: 'A raw image body, or multipart parts; returns the stored artifacts by part name ("file" for a raw body).',
          requestBody: { content: { 'image/*': { schema: { type: 'string', format: 'binary' } }, 'multipart/form-data': { schema: { type: 'object' } } } },
          responses: { 201: { description: 'Stored artifacts' }, ...errors },
        },
      },
      '/artifacts/{artifactId}': {
        get: { summary: 'Download an artifact you may read', parameters: [idParam('artifactId')], responses: { 200: { description: 'The file', content: { 'image/*': {} } }, ...errors } },
      },
    },
  };
}
