export const usage = `pixelwire — run and inspect Pixelwire graphs

Usage:
  pixelwire run <graph.json> [options]   run a graph document
  pixelwire run --server URL --token T <graph-id> [--input …] [--version N]
                                         run a saved pipeline on a Pixelwire server (API token from
                                         Settings → API tokens, or PIXELWIRE_TOKEN); live progress,
                                         image outputs downloaded into --out
  pixelwire validate <graph.json>        check a document; print structured errors
  pixelwire nodes [--json]               list node types (--json: full catalogue with param JSON Schemas)
  pixelwire schema                       print the graph document JSON Schema
  pixelwire models [--json]              list model files under $PIXELWIRE_MODELS_DIR (kind, size, sha256)
  pixelwire doctor [--json]              check execution providers, models, image limits and data dir
  pixelwire worker [--concurrency N] [--name NAME] [--json]
                                         join the cluster at $REDIS_URL and run graphs until SIGTERM
                                         (runs at once: --concurrency, default $PIXELWIRE_WORKERS or 1)
  pixelwire help                         this text

Run options:
  --input NAME=VALUE     graph input; image inputs take a file path, json/boxes take JSON; an image input
                         naming several files ('dir/*.jpg' quoted, a folder or a .zip) runs a batch, one run per
                         file, outputs in OUT/<n>-<file>/
  --set NODE.PARAM=VALUE override a node param (VALUE parsed as JSON when it parses, else text)
  --out DIR              write image outputs and saved images here (default ./out)
  --json                 print one JSON object with status, outputs, timings and cache hits
  --files-root DIR       folder image.load may read (default: the graph file's folder)
  --data-dir DIR         artifacts and cache (default $PIXELWIRE_DATA_DIR or ./data)
  --no-cache             do not read or write the on-disk result cache
  --max-pixels N         largest image accepted, in pixels (default 100000000)
  --concurrency N        nodes run at once (default: min(4, CPUs))

Exit codes: 0 done, 1 run failed or cancelled, 2 invalid document or usage.`;
