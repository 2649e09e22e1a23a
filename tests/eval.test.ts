// The suggestion engines meet the quality targets on the dev gold (npm run eval -- --check), so a
// change that breaks a rule fails the suite. Quality only: nothing here is timed.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

describe('npm run eval', () => {
  it('meets every target on ../shared/corpus/gold/dev.jsonl', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'bench/eval.ts', '--check'], { cwd: ROOT });
    for (const label of ['CASUALTIES', 'DATE', 'LOCATION', 'ORG', 'PERSON']) {
      expect(stdout).toMatch(new RegExp(`^${label}\\s.*\\bmet$`, 'm'));
    }
    expect(stdout).not.toMatch(/NOT MET/);
  }, 120_000);
});
