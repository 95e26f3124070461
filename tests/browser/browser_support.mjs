// What a browser test of `docprof serve` needs around the browser: its prerequisites (failing loudly,
// never skipping), a free port, the docprof CLI, and a server started and stopped like a user would.
//
// Environment (set by ctest; defaults for a manual run from the repository root):
//   DOCPROF_BINARY      the docprof binary            (build/src/docprof)
//   DOCPROF_SOURCE_DIR  the repository                (../.. from this file)
//   TEST_ARTIFACTS_DIR  where screenshots go          (<source>/build/test-artifacts)
//   CHROMIUM            the browser                   (/usr/bin/chromium)
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.DOCPROF_SOURCE_DIR || path.resolve(here, '../..');
export const binary = process.env.DOCPROF_BINARY || path.join(sourceDir, 'build/src/docprof');
export const artifactsDir = process.env.TEST_ARTIFACTS_DIR || path.join(sourceDir, 'build/test-artifacts');
export const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

export class Failure extends Error {}
export function check(condition, message) {
  if (!condition) throw new Failure(message);
}

export async function loadPlaywright() {
  const [major] = process.versions.node.split('.').map(Number);
  check(major >= 18, `Node.js ${process.versions.node} is too old: the browser test needs Node.js >= 18`);
  check(fs.existsSync(chromiumPath),
    `chromium is not installed at ${chromiumPath}: run scripts/install-deps.sh (Debian package \`chromium\`)`);
  check(fs.existsSync(binary), `the docprof binary is missing at ${binary}: build the \`docprof\` target first`);
  try {
    return await import('playwright-core');
  } catch (error) {
    throw new Failure(`playwright-core is not installed (${error.code || error.message}): ` +
      'run `npm ci --prefix tests/browser` (scripts/test.sh does it before ctest)');
  }
}

export async function launchChromium(chromium) {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Runs `docprof --config <config> <args…>`; its standard output.
export function docprof(config, args) {
  return execFileSync(binary, ['--config', config, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });
}

// `docprof serve [extraArgs…]` on 127.0.0.1:port, once it answers /healthz; its output goes to logFile.
export async function startServer(config, port, logFile, extraArgs = []) {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(binary, ['--config', config, 'serve', ...extraArgs, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', out, out] });
  fs.closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => { exited = { code, signal }; });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    check(exited === null, `docprof serve exited early (${JSON.stringify(exited)})`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return { child, base, port, exitedState: () => exited };
    } catch (_) {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Failure(`docprof serve did not answer /healthz on ${base} within 30 s`);
}

export async function stopServer(server) {
  if (!server || server.exitedState() !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  const timeout = new Promise((resolve) => setTimeout(() => resolve('timeout'), 15_000));
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    server.child.kill('SIGKILL');
    await exited;
    throw new Failure('docprof serve did not stop within 15 s of SIGTERM');
  }
}

// What a failed test leaves its reader: a screenshot of the page (when there is one) and the end
// of the server's log.
export async function reportFailure(name, page, serverLog) {
  if (page) {
    const shot = path.join(artifactsDir, `${name.replaceAll('_', '-')}-failure.png`);
    await page.screenshot({ path: shot, fullPage: true }).catch(() => {});
    console.error(`[${name}] failure screenshot: ${shot}`);
  }
  if (serverLog && fs.existsSync(serverLog)) {
    const lines = fs.readFileSync(serverLog, 'utf8').trimEnd().split('\n');
    console.error(`[${name}] last lines of docprof serve's log:\n${lines.slice(-40).join('\n')}`);
  }
}

// Runs a test in a temporary directory of its own (removed after), printing PASS, or FAIL with
// the reason and a non-zero exit code.
export async function runTest(name, run) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `docprof-${name}-`));
  try {
    await run(work);
    console.log(`[${name}] PASS`);
  } catch (error) {
    console.error(`[${name}] FAIL: ${error instanceof Failure ? error.message : error.stack || error}`);
    process.exitCode = 1;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
