#!/usr/bin/env node
// runner.mjs SPEC.json — runs one real agent against one scripted fake model, both on this
// machine's loopback: starts the fake server (port 0), writes the spec's files with {{PORT}}
// filled in, runs the agent with exactly the spec's environment, stops the server, and exits
// with the agent's status. agents.ts runs it inside a network namespace when it can, so that
// nothing can leave the machine; the spec's settings alone also keep every agent offline.
// Dependency-free on purpose: it is harness code, like the fake servers.
import { spawn } from 'node:child_process';
import fs from 'node:fs';

const spec = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const fill = (s) => (typeof s === 'string' ? s.replaceAll('{{PORT}}', String(port)) : s);
let port = 0;

const server = spawn(process.execPath, [spec.server, '--port-file', spec.portFile, '--log', spec.serverLog,
  '--max-seconds', String(Math.ceil(spec.timeoutMs / 1000) + 30), '--step-delay-ms', String(spec.stepDelayMs ?? 0)],
  { stdio: ['ignore', 'ignore', fs.openSync(spec.serverLog + '.stderr', 'a')], env: { PATH: process.env.PATH ?? '', ...(spec.serverEnv ?? {}) } });
const stopServer = () => { try { server.kill('SIGKILL'); } catch {} };
process.on('exit', stopServer);

const deadline = Date.now() + 10_000;
while (!port) {
  try { port = Number(fs.readFileSync(spec.portFile, 'utf8')); } catch {}
  if (port) break;
  if (Date.now() > deadline || server.exitCode !== null) { console.error('runner: the fake server did not start'); process.exit(90); }
  await new Promise((r) => setTimeout(r, 25));
}

for (const f of spec.files ?? []) fs.writeFileSync(f.path, fill(f.content));
const env = Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, fill(v)]));
const out = fs.openSync(spec.stdout, 'w');
const err = fs.openSync(spec.stderr, 'w');
const agent = spawn(spec.command, spec.args.map(fill), { cwd: spec.cwd, env, stdio: ['ignore', out, err], detached: true });
let timedOut = false;
const timer = setTimeout(() => {
  timedOut = true;
  try { process.kill(-agent.pid, 'SIGKILL'); } catch {}
}, spec.timeoutMs);
const [code, signal] = await new Promise((resolve) => {
  agent.once('error', (e) => { fs.writeSync(err, `runner: ${e.message}\n`); resolve([127, null]); });
  agent.once('exit', (c, s) => resolve([c, s]));
});
clearTimeout(timer);
// Whatever the agent left running in its group goes too.
try { process.kill(-agent.pid, 'SIGKILL'); } catch {}
stopServer();
if (timedOut) { console.error(`runner: the agent did not finish in ${spec.timeoutMs} ms`); process.exit(124); }
process.exit(code ?? (signal ? 128 : 1));
