// `npm run lint:security`: Electronegativity over the desktop shell and the page it loads; exits 1 on any
// HIGH or MEDIUM finding that is not a reviewed exception listed here (and explained in docs/security.md).
import { promises as fsp } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/** The project root (where package.json is). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** One finding of Electronegativity, with the file relative to the scanned folder. */
export interface Finding {
  id: string;
  severity: 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
  confidence: 'CERTAIN' | 'FIRM' | 'TENTATIVE';
  file: string;
  line: number;
  /** The flagged source line. */
  sample: string;
  description: string;
}

/** A finding that was reviewed and is kept on purpose. */
export interface AcceptedFinding {
  id: string;
  file: string;
  /** Part of the flagged source line, so that a new occurrence elsewhere is not waved through. */
  sample: string;
  why: string;
}

/** Checks that cannot run here at all (by Electronegativity's class name). */
export const EXCLUDED_CHECKS: Record<string, string> = {
  AvailableSecurityFixesGlobalCheck:
    "downloads Electron's release list from the network at every run; CI has no network. The Electron version is pinned in package.json and kept current there.",
};

/** Reviewed findings, each explained in docs/security.md. */
export const ACCEPTED: AcceptedFinding[] = [
  {
    id: 'PRELOAD_JS_CHECK',
    file: 'electron/main.ts',
    sample: "preload: path.join(__dirname, 'preload.cjs')",
    why: 'manual-review item: the preload exposes one function per contract channel through contextBridge and nothing else (tested in electron/main.test.ts)',
  },
  {
    id: 'OPEN_EXTERNAL_JS_CHECK',
    file: 'electron/main.ts',
    sample: 'shell.openExternal(parsed.href)',
    why: 'manual-review item: offerExternal() passes only http(s) URLs, and only after the user confirmed a dialog showing the address (tested)',
  },
  {
    id: 'AUXCLICK_JS_CHECK',
    file: 'electron/main.ts',
    sample: 'new BrowserWindow(',
    why: "a middle-click opens a new window, which hardenContents()' window-open handler always denies; disableBlinkFeatures: 'Auxclick' would add nothing",
  },
];

const BLOCKING = new Set(['HIGH', 'MEDIUM']);

/** What the scan found, split into what fails the build, what is accepted, and the rest (LOW, informational). */
export interface Verdict {
  blocking: Finding[];
  accepted: Array<Finding & { why: string }>;
  other: Finding[];
  /** Accepted entries that match nothing any more: remove them (and their line in docs/security.md). */
  stale: AcceptedFinding[];
}

/** Sort findings into blocking, accepted and other. */
export function judge(findings: Finding[], accepted: AcceptedFinding[] = ACCEPTED): Verdict {
  const verdict: Verdict = { blocking: [], accepted: [], other: [], stale: [] };
  const used = new Set<AcceptedFinding>();
  for (const finding of findings) {
    const match = accepted.find((a) => a.id === finding.id && a.file === finding.file && finding.sample.includes(a.sample));
    if (match) {
      used.add(match);
      verdict.accepted.push({ ...finding, why: match.why });
    } else if (BLOCKING.has(finding.severity)) verdict.blocking.push(finding);
    else verdict.other.push(finding);
  }
  verdict.stale = accepted.filter((a) => !used.has(a));
  return verdict;
}

/**
 * Copy what Electron runs into a fresh folder: the shell's sources (electron/, tests and tooling left
 * out), the page it loads (renderer/index.html, with its CSP meta tag) and package.json (the Electron
 * version, which sets the defaults the checks assume).
 */
export async function stageShell(root: string = PROJECT_ROOT): Promise<string> {
  const stage = await fsp.mkdtemp(path.join(os.tmpdir(), 'gloss-security-'));
  const names = (await fsp.readdir(path.join(root, 'electron'))).filter(
    (n) => /\.(ts|js)$/.test(n) && !n.endsWith('.test.ts') && n !== 'check-security.ts',
  );
  const files = [...names.map((n) => `electron/${n}`), 'renderer/index.html', 'package.json'];
  for (const rel of files) {
    await fsp.mkdir(path.dirname(path.join(stage, rel)), { recursive: true });
    await fsp.copyFile(path.join(root, rel), path.join(stage, rel));
  }
  return stage;
}

interface RawIssue {
  id: string;
  severity: { name: Finding['severity'] };
  confidence: { name: Finding['confidence'] };
  file: string;
  location: { line: number };
  sample?: string;
  description: string;
}

/**
 * Run Electronegativity on a folder. Throws when a file cannot be parsed: a file it cannot read is a
 * file it did not check.
 */
export async function scanFolder(dir: string): Promise<Finding[]> {
  // The programmatic entry point of the same tool as `npx electronegativity`: its CSV writer appends
  // to the header with two racing writes and can lose the first finding, so the results are read here.
  const run = require('@doyensec/electronegativity') as (
    options: Record<string, unknown>,
    forCli: boolean,
  ) => Promise<{ issues: RawIssue[]; errors: Array<{ file: string; message: string; tolerable: boolean }> }>;
  const result = await run({ input: dir, isRelative: true, excludeFromScan: Object.keys(EXCLUDED_CHECKS) }, false);
  const fatal = result.errors.filter((e) => !e.tolerable);
  if (fatal.length) throw new Error(`Electronegativity could not parse: ${fatal.map((e) => `${e.file}: ${e.message}`).join('; ')}`);
  return result.issues.map((i) => ({
    id: i.id,
    severity: i.severity.name,
    confidence: i.confidence.name,
    file: i.file.split(path.sep).join('/'),
    line: i.location.line,
    sample: i.sample ?? '',
    description: i.description,
  }));
}

function show(f: Finding): string {
  return `  ${f.severity.padEnd(13)} ${f.id} ${f.file}:${f.line}  ${f.sample}\n${' '.repeat(16)}${f.description}`;
}

async function main(): Promise<void> {
  const stage = await stageShell();
  let verdict: Verdict;
  try {
    verdict = judge(await scanFolder(stage));
  } finally {
    await fsp.rm(stage, { recursive: true, force: true });
  }
  console.log(`Electronegativity: ${verdict.blocking.length} blocking, ${verdict.accepted.length} accepted, ${verdict.other.length} low/informational`);
  for (const [name, why] of Object.entries(EXCLUDED_CHECKS)) console.log(`  excluded ${name}: ${why}`);
  for (const f of verdict.accepted) console.log(`  accepted ${f.severity} ${f.id} ${f.file}:${f.line}: ${f.why}`);
  for (const f of verdict.other) console.log(show(f));
  if (verdict.blocking.length) {
    console.error('\nHIGH or MEDIUM findings (fix them, or review and document them in docs/security.md):');
    for (const f of verdict.blocking) console.error(show(f));
  }
  for (const a of verdict.stale) console.error(`Accepted finding ${a.id} (${a.file}: ${a.sample}) no longer occurs: remove it.`);
  process.exitCode = verdict.blocking.length || verdict.stale.length ? 1 : 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
