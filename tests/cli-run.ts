// Running the `gloss` command as a user would, for the command-line tests.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** What a run printed and how it ended. */
export interface GlossRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run `bin/gloss.js ARGS` from the project root; `home` becomes GLOSS_HOME when given. */
export function runGloss(args: string[], home?: string): Promise<GlossRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'bin', 'gloss.js'), ...args], {
      cwd: PROJECT_ROOT,
      env: home === undefined ? process.env : { ...process.env, GLOSS_HOME: home },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
