// Build the renderer once before the end-to-end files start their servers in parallel.
import { buildRenderer, rendererIsStale } from '../../cli/build.ts';

export default async function setup(): Promise<void> {
  if (await rendererIsStale()) await buildRenderer();
}
