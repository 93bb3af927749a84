// Readers of /proc (Linux only; null elsewhere): CPU seconds PostgreSQL spends for one database —
// its backends, found by their process title, plus the WAL writer, checkpointer and background
// writer, which also serve any other database busy on the same server — and process memory.
import fs from 'node:fs';

const CLK_TCK = 100; // USER_HZ: 100 on every Linux architecture Node supports.
const SHARED = /: (walwriter|checkpointer|background writer)[\s\0]*$/;

/** pid → CPU ticks of the PostgreSQL processes working for `dbName`; null when /proc is unreadable. */
export function postgresCpuSnapshot(dbName) {
  let pids;
  try {
    pids = fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  const ticks = new Map();
  for (const pid of pids) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.startsWith('postgres: ')) continue;
      if (!cmd.includes(` ${dbName} `) && !SHARED.test(cmd)) continue;
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks.set(pid, Number(f[11]) + Number(f[12])); // utime, stime
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks;
}

/**
 * CPU seconds used between two snapshots by the processes alive at the second one (backends that
 * started in between count in full; backends that ended in between are lost, which under-counts).
 */
export function postgresCpuSecondsBetween(before, after) {
  if (!before || !after) return null;
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before.get(pid) ?? 0);
  return ticks / CLK_TCK;
}

/** CPU seconds of this process. */
export function selfCpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/** Memory of a process from /proc/<pid>/status, in bytes: { rss, hwm } (null when unreadable). */
export function processMemory(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm').exec(s)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return null;
  }
}

/** pid and all its descendants (via /proc/<pid>/task/<tid>/children). */
export function processTree(pid) {
  const out = [pid];
  for (let i = 0; i < out.length; i++) {
    try {
      for (const tid of fs.readdirSync(`/proc/${out[i]}/task`)) {
        const kids = fs.readFileSync(`/proc/${out[i]}/task/${tid}/children`, 'utf8').trim();
        if (kids) out.push(...kids.split(/\s+/).map(Number));
      }
    } catch {
      /* gone */
    }
  }
  return out;
}
