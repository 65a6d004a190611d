import { parseArgs, type ParseArgsConfig } from 'node:util';
import { GraphValidationError } from '../engine/validation-error';
import { UsageError } from './cli-error';
import { nodesCommand, schemaCommand, validateCommand } from './commands/inspect';
import { doctorCommand, modelsCommand } from './commands/models';
import { assertGraphArg, runCommand } from './commands/run';
import { workerCommand } from './commands/worker';
import { RemoteError, remoteRunCommand } from './commands/remote-run';
import { usage } from './usage';

const options = {
  input: { type: 'string', multiple: true },
  set: { type: 'string', multiple: true },
  out: { type: 'string', default: 'out' },
  json: { type: 'boolean', default: false },
  'files-root': { type: 'string' },
  'data-dir': { type: 'string' },
  'no-cache': { type: 'boolean', default: false },
  'max-pixels': { type: 'string' },
  concurrency: { type: 'string' },
  name: { type: 'string' },
  server: { type: 'string' },
  token: { type: 'string' },
  version: { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies ParseArgsConfig['options'];

/** Runs the CLI and returns its exit code: 0 done, 1 run failed, 2 invalid document or usage. */
export async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    const [command, file, ...rest] = positionals;
    if (values.help || !command || command === 'help') {
      process.stdout.write(`${usage}\n`);
      return command || values.help ? 0 : 2;
    }
    if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
    switch (command) {
      case 'run':
        if (values.server || values.token) {
          const token = values.token ?? process.env.PIXELWIRE_TOKEN;
          if (!values.server || !token) throw new UsageError('running on a server needs --server URL and --token TOKEN (or PIXELWIRE_TOKEN)');
          return await remoteRunCommand({
            server: values.server,
            token,
            graphId: assertGraphArg(file),
            version: positiveInt(values.version, '--version'),
            inputs: values.input ?? [],
            out: values.out,
            json: values.json,
          }).catch((error: unknown) => {
            if (!(error instanceof RemoteError)) throw error;
            process.stderr.write(`pixelwire: the server answered ${error.message}\n`);
            return error.status === 400 || error.status === 404 || error.status === 401 || error.status === 403 ? 2 : 1;
          });
        }
        return await runCommand({
          graph: assertGraphArg(file),
          inputs: values.input ?? [],
          sets: values.set ?? [],
          out: values.out,
          json: values.json,
          filesRoot: values['files-root'],
          dataDir: values['data-dir'] ?? process.env.PIXELWIRE_DATA_DIR ?? 'data',
          cache: !values['no-cache'],
          maxPixels: positiveInt(values['max-pixels'], '--max-pixels'),
          concurrency: positiveInt(values.concurrency, '--concurrency'),
        });
      case 'validate':
        return await validateCommand(assertGraphArg(file), values.json);
      case 'nodes':
        return nodesCommand(values.json);
      case 'schema':
        return schemaCommand();
      case 'models':
        if (file) throw new UsageError(`unexpected argument: ${file}`);
        return await modelsCommand(values.json);
      case 'doctor':
        if (file) throw new UsageError(`unexpected argument: ${file}`);
        return await doctorCommand(values.json, values['data-dir'] ?? process.env.PIXELWIRE_DATA_DIR ?? 'data');
      case 'worker':
        if (file) throw new UsageError(`unexpected argument: ${file}`);
        return await workerCommand({
          dataDir: values['data-dir'] ?? process.env.PIXELWIRE_DATA_DIR ?? 'data',
          concurrency: positiveInt(values.concurrency, '--concurrency'),
          name: values.name,
          json: values.json,
        });
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof GraphValidationError) {
      for (const e of error.errors) {
        const where = [e.nodeId, e.port ?? e.param].filter(Boolean).join('.') || 'graph';
        process.stderr.write(`${where}: ${e.code}: ${e.message}\n`);
      }
      return 2;
    }
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`pixelwire: ${error.message}\nRun "pixelwire help" for usage.\n`);
      return 2;
    }
    throw error;
  }
}

function positiveInt(text: string | undefined, flag: string): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} expects a positive integer, got "${text}"`);
  return n;
}
