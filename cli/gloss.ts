// The `gloss` command line: `gloss serve [FOLDER] [--port N]` runs the browser shell; `gloss check FOLDER` reports what a scan opens; `gloss export` / `import` / `stats` handle datasets; `gloss suggest` proposes annotations; `gloss build` bundles the app.
import { parseArgs } from 'node:util';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { readers, writers } from '../annotations/formats/index.ts';
import { PROJECT_ROOT, RENDERER_OUT, rendererIsStale } from './build.ts';

/** The browser shell's port unless --port says otherwise. */
export const DEFAULT_PORT = 7733;

const USAGE = `Usage:
  gloss serve [FOLDER] [--port N]   Serve Gloss on http://127.0.0.1 (default port ${DEFAULT_PORT}; 0 picks a free one).
                                    Without FOLDER: the last folder used, else the bundled sample corpus.
  gloss check FOLDER                List the articles Gloss opens in FOLDER and the files it skips, with reasons.
  gloss export FOLDER --format NAME [--out PATH] [--done-only] [--labels A,B] [--include-pending]
                                    Write FOLDER's annotations as a dataset; without --out, into a new
                                    folder under the folder's store (.gloss/exports/).
                                    Formats: ${Object.keys(writers).join(', ')}.
  gloss import FILE_OR_DIR --into FOLDER [--format NAME]
                                    Bring documents and annotations into FOLDER (created if missing);
                                    the format is guessed when --format is left out.
                                    Formats: ${Object.keys(readers).join(', ')}.
  gloss stats FOLDER [--json]       Documents by status and annotations by label.
  gloss suggest INPUT --out FILE [--labels A,B] [--texts FOLDER]
                                    Propose dates, casualty figures, people, organisations and places
                                    as pending annotations, written as Gloss JSONL. INPUT: a folder, a
                                    Gloss JSONL file (meta.dct dates each document) or a gold file (texts
                                    from --texts, else ../seeds beside it).
  gloss suggest FOLDER --apply [--labels A,B]
                                    Store them in FOLDER's workspace as pending suggestions, to accept
                                    or reject in the app (never twice; rejected ones stay rejected).
  gloss build                       Bundle the renderer and the Electron scripts into dist/.
  gloss help                        Show this text.`;

async function version(): Promise<string> {
  const pkg = JSON.parse(await fsp.readFile(path.join(PROJECT_ROOT, 'package.json'), 'utf8'));
  return pkg.version as string;
}

async function serve(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: { port: { type: 'string' } },
    allowPositionals: true,
  });
  const port = values.port === undefined ? DEFAULT_PORT : Number(values.port);
  const [{ GlossService, defaultUserDataDir }, { startServer }, { EventHub }, { buildRenderer }] = await Promise.all([
    import('../annotations/api/service.ts'),
    import('../web/server.ts'),
    import('../web/events.ts'),
    import('./build.ts'),
  ]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a number from 0 to 65535`);
  if (positionals.length > 1) fail(`serve takes one folder\n\n${USAGE}`);

  if (await rendererIsStale()) await buildRenderer();
  const events = new EventHub();
  const service = new GlossService({
    shell: 'browser',
    version: await version(),
    userDataDir: defaultUserDataDir(),
    onEvent: (event, payload) => events.broadcast(event, payload),
  });
  const folder = positionals[0] ? path.resolve(positionals[0]) : await service.defaultFolder();
  let ws;
  try {
    ws = await service.openFolder(folder);
  } catch (err) {
    fail((err as Error).message);
  }
  let server;
  try {
    server = await startServer({ service, rendererDir: RENDERER_OUT, port, events });
  } catch (err) {
    const busy = (err as NodeJS.ErrnoException).code === 'EADDRINUSE';
    if (!busy) fail((err as Error).message);
    // The default port is taken (another Gloss?): any free port will do; an explicit one must be honoured.
    if (values.port !== undefined) fail(`Port ${port} is in use: try --port 0 for a free one`);
    server = await startServer({ service, rendererDir: RENDERER_OUT, port: 0, events });
  }
  // The URL is the first line on stdout: scripts and tests read it.
  process.stdout.write(`${server.url}\n`);
  const view = ws.view();
  process.stdout.write(
    `Gloss is serving ${view.folder} (${view.documents.length} articles, ${view.skipped.length} files skipped).\n` +
      `Annotations are saved in ${view.store.dir}${view.store.kind === 'user-data' ? ' (the folder is read-only)' : ''}.\n` +
      `Open the address above in a browser. Press Ctrl+C to stop.\n`,
  );
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

function fail(message: string): never {
  process.stderr.write(`gloss: ${message}\n`);
  process.exit(1);
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(rest);
    // Each command loads only what it needs, so a quick one starts quickly.
    case 'check':
      process.exitCode = await (await import('./check.ts')).check(rest, USAGE);
      return;
    case 'export':
      process.exitCode = await (await import('./export.ts')).runExport(rest, USAGE);
      return;
    case 'import':
      process.exitCode = await (await import('./import.ts')).runImport(rest, USAGE);
      return;
    case 'stats':
      process.exitCode = await (await import('./stats.ts')).runStats(rest, USAGE);
      return;
    case 'suggest':
      process.exitCode = await (await import('./suggest.ts')).runSuggest(rest, USAGE);
      return;
    case 'build': {
      const { buildElectron, buildRenderer } = await import('./build.ts');
      await buildRenderer();
      await buildElectron();
      process.stdout.write(`Built dist/renderer and dist/electron.\n`);
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return;
    default:
      fail(`unknown command ${command}\n\n${USAGE}`);
  }
}

await main(process.argv.slice(2));
