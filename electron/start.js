#!/usr/bin/env node
// `npm start [FOLDER]`: build, then open the desktop app; without an Electron binary (it cannot be
// downloaded, e.g. offline), start the browser shell on the same folder instead and say so.
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const gloss = path.join(root, 'bin', 'gloss.js');
const args = process.argv.slice(2);

function run(cmd, argv, options = {}) {
  return spawnSync(cmd, argv, { cwd: root, stdio: 'inherit', ...options }).status === 0;
}

/** Path of the Electron binary, or null when the package has none (its install script never ran). */
function electronBinary() {
  try {
    return require('electron');
  } catch {
    return null;
  }
}

if (!run(process.execPath, [gloss, 'build'])) process.exit(1);

let electron = electronBinary();
if (!electron) {
  console.log('Gloss: the Electron binary is missing; trying to download it (electron\'s install script)…');
  const ok = run(process.execPath, [path.join(root, 'node_modules', 'electron', 'install.js')], {
    stdio: ['ignore', 'ignore', 'pipe'],
    timeout: 120_000,
  });
  electron = ok ? electronBinary() : null;
}
const headless = process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;

if (electron && !headless) {
  const child = spawn(electron, [root, ...args], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log(
    electron
      ? 'Gloss: no display found, so the desktop window cannot open; starting the browser shell instead.'
      : 'Gloss: the Electron binary could not be downloaded (offline?); starting the browser shell instead.',
  );
  const child = spawn(process.execPath, [gloss, 'serve', ...args], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
}
