// Parent side of loadgen.mjs: fork it once, run phases (warm-up, measured), stop it.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./loadgen.mjs', import.meta.url));

export function startLoadGenerator() {
  const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  let exited = false;
  child.on('exit', () => {
    exited = true;
  });
  return {
    /** One closed-loop phase; resolves with the child's summary. */
    run(opts) {
      return new Promise((resolve, reject) => {
        if (exited) return reject(new Error('load generator has exited'));
        const onExit = (code) => reject(new Error(`load generator exited with ${code}`));
        child.once('exit', onExit);
        child.once('message', (m) => {
          child.off('exit', onExit);
          if (m.fatal) reject(new Error(`load generator: ${m.fatal}`));
          else resolve(m);
        });
        child.send({ cmd: 'run', maxRequests: 1_000_000, startIndex: 0, ...opts });
      });
    },
    async stop() {
      if (exited) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.send({ cmd: 'exit' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}
