// Load generator, run as a child process (fork) so that it does not share the event loop of the
// server it measures. N concurrent keep-alive HTTP/1.1 connections, each sending its next request
// as soon as the previous answer has been read (closed loop). Loopback only.
//
// Parent → child: { cmd: 'run', port, concurrency, durationMs, maxRequests, startIndex, request }
// Child → parent: { count, errors, statuses, firstError, elapsedMs, cpuSeconds, latencies (ms), nextIndex }
import http from 'node:http';

const DAY_MS = 86_400_000;

/** The i-th request of a run. Every calendar PUT gets its own (division, date) pair. */
function requestFor(spec, i) {
  if (spec.kind === 'get') return { method: 'GET', path: spec.path, body: null };
  if (spec.kind === 'calendar-put') {
    const n = spec.divisions.length;
    const code = spec.divisions[i % n];
    const date = new Date(Date.parse(spec.firstDate) + Math.floor(i / n) * DAY_MS).toISOString().slice(0, 10);
    const body = JSON.stringify({ kind: i % 2 ? 'holiday' : 'workday', name: `压测 bench ${i}` });
    return { method: 'PUT', path: `/api/calendar/divisions/${code}/days/${date}`, body, token: spec.token };
  }
  if (spec.kind === 'fixed') {
    // The same request every time, with its own headers (e.g. an OAuth token request); `bodies`
    // rotates through several bodies (e.g. one login per account).
    const body = spec.bodies ? spec.bodies[i % spec.bodies.length] : (spec.body ?? null);
    return { method: spec.method, path: spec.path, body, headers: spec.headers, contentType: spec.contentType };
  }
  throw new Error(`unknown request kind ${spec.kind}`);
}

let agent = null;

function send(port, req) {
  return new Promise((resolve, reject) => {
    const headers = { accept: 'application/json' };
    if (req.body !== null) {
      headers['content-type'] = req.contentType ?? 'application/json';
      headers['content-length'] = Buffer.byteLength(req.body);
    }
    if (req.token) headers.authorization = `Bearer ${req.token}`;
    if (req.headers) Object.assign(headers, req.headers);
    const r = http.request({ host: '127.0.0.1', port, method: req.method, path: req.path, agent, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => {
        if (res.statusCode >= 400) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    r.on('error', reject);
    r.end(req.body ?? undefined);
  });
}

async function run(msg) {
  agent ??= new http.Agent({ keepAlive: true, maxSockets: msg.concurrency });
  const latencies = new Float64Array(msg.maxRequests);
  const statuses = {};
  let count = 0;
  let errors = 0;
  let firstError = null;
  let next = msg.startIndex;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const deadline = t0 + msg.durationMs;
  const worker = async () => {
    while (performance.now() < deadline && count < msg.maxRequests) {
      const req = requestFor(msg.request, next++);
      const start = performance.now();
      try {
        const res = await send(msg.port, req);
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        if (res.status >= 400) {
          errors++;
          firstError ??= `${req.method} ${req.path} → ${res.status} ${res.body.slice(0, 300)}`;
        }
      } catch (err) {
        errors++;
        firstError ??= `${req.method} ${req.path} → ${err.message}`;
      }
      if (count < latencies.length) latencies[count] = performance.now() - start;
      count++;
    }
  };
  await Promise.all(Array.from({ length: msg.concurrency }, worker));
  const elapsedMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { count, errors, statuses, firstError, elapsedMs, cpuSeconds: (cpu.user + cpu.system) / 1e6, latencies: latencies.slice(0, Math.min(count, latencies.length)), nextIndex: next };
}

process.on('message', (msg) => {
  if (msg.cmd === 'run') {
    run(msg).then(
      (r) => process.send(r),
      (err) => process.send({ fatal: err.stack ?? String(err) }),
    );
  } else if (msg.cmd === 'exit') {
    agent?.destroy();
    process.disconnect();
  }
});
