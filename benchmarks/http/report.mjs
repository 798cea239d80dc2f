// Gathers the pieces benchmarks/http/run wrote in its run folder into http-latest.json and http-latest.md, judges
// each figure against its target (ADR 0019) and prints the Markdown.
//   node benchmarks/http/report.mjs RUN_DIR OUT_DIR SCALE DURATION CONNECTIONS CIRCUITS SAMPLES
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [runDir, outDir, scale, duration, connections, circuits, samples] = process.argv.slice(2);
const read = (name) => {
  const file = path.join(runDir, name);
  return fs.existsSync(file) && fs.statSync(file).size > 0 ? JSON.parse(fs.readFileSync(file, 'utf8')) : null;
};
const text = (name) => (fs.existsSync(path.join(runDir, name)) ? fs.readFileSync(path.join(runDir, name), 'utf8').trim() : null);

const ready = read('ready.json');
const targets = { apiRatio: 0.85, kbPerCircuit: 500, interactionP95: 100, desktop: 95, mobile: 85, cls: 0.1 };

const api = [];
for (const [name, appPath] of [['companies', '/api/v1/companies'], ['rounds', '/api/v1/rounds']]) {
  const app = read(`wrk-app-${name}.json`);
  const bare = read(`wrk-bare-${name}.json`);
  if (!app || !bare) continue;
  const bad = (r) => r.non_2xx + r.socket_errors.connect + r.socket_errors.read + r.socket_errors.write + r.socket_errors.timeout;
  const voided = bad(app) > 0 || bad(bare) > 0;
  const ratio = Math.round((app.requests_per_second / bare.requests_per_second) * 100) / 100;
  api.push({
    endpoint: appPath, app, bare, ratio, void: voided,
    target_met: voided ? null : ratio >= targets.apiRatio,
    note: voided ? 'void: a non-2xx status or a socket error during the run' : `ratio ${ratio} ${ratio >= targets.apiRatio ? '≥' : '<'} ${targets.apiRatio}`,
  });
}

const browser = read('browser.json');
const memory = (browser?.memory ?? []).map((m) => ({
  ...m,
  target_met: m.interactive === m.circuits ? m.kb_per_circuit <= targets.kbPerCircuit : null,
  note: m.interactive !== m.circuits ? `only ${m.interactive} of ${m.circuits} circuits became interactive`
    : `${m.kb_per_circuit} KB ${m.kb_per_circuit <= targets.kbPerCircuit ? '≤' : '>'} ${targets.kbPerCircuit} KB`,
}));
const latency = (browser?.latency ?? []).map((l) => {
  const excess = Math.round((l.p95_ms - l.designed_delay_ms) * 10) / 10;
  return {
    ...l,
    p95_minus_designed_delay_ms: excess,
    target_met: l.timeouts > 0 ? false : l.p95_ms <= targets.interactionP95,
    note: l.timeouts > 0 ? `${l.timeouts} inputs got no updated rows within 20 s`
      : l.designed_delay_ms > 0
        ? `p95 ${l.p95_ms} ms ${l.p95_ms <= targets.interactionP95 ? '≤' : '>'} ${targets.interactionP95} ms; ${excess} ms after the ${l.designed_delay_ms} ms debounce`
        : `p95 ${l.p95_ms} ms ${l.p95_ms <= targets.interactionP95 ? '≤' : '>'} ${targets.interactionP95} ms`,
  };
});

const lighthouse = [];
for (const file of fs.readdirSync(runDir).filter((f) => /^lighthouse-\d+-(desktop|mobile)\.json$/.test(f)).sort((a, b) => parseInt(a.split('-')[1]) - parseInt(b.split('-')[1]))) {
  const r = read(file);
  if (!r?.categories?.performance) continue;
  const preset = file.includes('desktop') ? 'desktop' : 'mobile';
  const score = (c) => Math.round((r.categories[c]?.score ?? 0) * 100);
  const cls = Math.round(r.audits['cumulative-layout-shift'].numericValue * 1000) / 1000;
  const perf = score('performance');
  const misses = [];
  if (perf < targets[preset]) misses.push(`performance ${perf} < ${targets[preset]}`);
  if (cls > targets.cls) misses.push(`CLS ${cls} > ${targets.cls}`);
  const url = new URL(r.finalDisplayedUrl ?? r.requestedUrl);
  const compared = url.searchParams.get('c');
  lighthouse.push({
    page: url.pathname + (compared ? ` (${compared.split(',').length} companies)` : url.search),
    preset, performance: perf, accessibility: score('accessibility'), best_practices: score('best-practices'), seo: score('seo'),
    lcp_ms: Math.round(r.audits['largest-contentful-paint'].numericValue),
    cls, tbt_ms: Math.round(r.audits['total-blocking-time'].numericValue),
    target_met: misses.length === 0, note: misses.length ? misses.join('; ') : 'met',
  });
}

const report = {
  run: {
    finished_utc: new Date().toISOString(), scale: Number(scale), data: ready?.Counts ?? null,
    processors: os.cpus().length, load_average_start: text('load-start'), load_average_end: text('load-end'),
    wrk: { seconds: Number(duration), connections: Number(connections), threads: 2 },
    circuits: Number(circuits), samples_per_page: Number(samples),
    company: ready?.CompanySlug ?? null, compare: ready?.CompareSlugs ?? [],
  },
  api, memory, latency, lighthouse,
};

const mark = (met, note) => (met === true ? 'met' : met === false ? `**not met**: ${note}` : `no figure: ${note}`);
const md = [];
md.push('# HTTP and browser harness results', '');
md.push(`Run finished ${report.run.finished_utc.slice(0, 16).replace('T', ' ')} UTC at ${scale}× the seed` +
  ` (${report.run.data ?? '?'}); ${report.run.processors} processors; load average (1, 5, 15 min, runnable/total, last pid)` +
  ` ${report.run.load_average_start} at the start, ${report.run.load_average_end} at the end. The machine is shared:` +
  ' rerun `benchmarks/http/run` on a quiet one before reading much into small differences.', '');
if (api.length) {
  md.push(`## API read throughput (wrk, ${duration} s, ${connections} connections, 2 threads; target app ≥ ${targets.apiRatio} × bare)`, '');
  md.push('| endpoint | app req/s | app p50 / p99 ms | bare req/s | bare p50 / p99 ms | ratio | statuses (app; bare) | target |', '|---|---:|---:|---:|---:|---:|---|---|');
  for (const a of api) {
    md.push(`| ${a.endpoint} | ${a.app.requests_per_second.toFixed(0)} | ${a.app.latency_p50_ms.toFixed(1)} / ${a.app.latency_p99_ms.toFixed(1)} | ${a.bare.requests_per_second.toFixed(0)} | ${a.bare.latency_p50_ms.toFixed(1)} / ${a.bare.latency_p99_ms.toFixed(1)} | ${a.ratio} | ${JSON.stringify(a.app.statuses)}; ${JSON.stringify(a.bare.statuses)} | ${mark(a.target_met, a.note)} |`);
  }
  md.push('');
}
if (memory.length) {
  md.push(`## Server memory per Blazor circuit (managed heap after a full GC; target ≤ ${targets.kbPerCircuit} KB)`, '');
  md.push('| page | circuits (interactive) | heap before MB | heap after MB | KB per circuit | target |', '|---|---:|---:|---:|---:|---|');
  for (const m of memory) {
    md.push(`| ${m.page} | ${m.circuits} (${m.interactive}) | ${(m.heap_before_bytes / 1048576).toFixed(1)} | ${(m.heap_after_bytes / 1048576).toFixed(1)} | ${m.kb_per_circuit} | ${mark(m.target_met, m.note)} |`);
  }
  md.push('');
}
if (latency.length) {
  md.push(`## Interaction latency under concurrency (input to updated rows, in the page; target p95 ≤ ${targets.interactionP95} ms)`, '');
  md.push('| interaction | pages at once | samples | p50 ms | p95 ms | p99 ms | p95 minus designed delay | target |', '|---|---:|---:|---:|---:|---:|---:|---|');
  for (const l of latency) {
    md.push(`| ${l.interaction} | ${l.pages} | ${l.samples} | ${l.p50_ms} | ${l.p95_ms} | ${l.p99_ms} | ${l.p95_minus_designed_delay_ms} | ${mark(l.target_met, l.note)} |`);
  }
  md.push('');
}
if (lighthouse.length) {
  md.push(`## Lighthouse 12.2.3 (targets: desktop ≥ ${targets.desktop}, mobile ≥ ${targets.mobile}, CLS ≤ ${targets.cls})`, '');
  md.push('| page | preset | performance | accessibility | best practices | SEO | LCP ms | CLS | TBT ms | target |', '|---|---|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const l of lighthouse) {
    md.push(`| ${l.page} | ${l.preset} | ${l.performance} | ${l.accessibility} | ${l.best_practices} | ${l.seo} | ${l.lcp_ms} | ${l.cls} | ${l.tbt_ms} | ${mark(l.target_met, l.note)} |`);
  }
  md.push('');
}

fs.mkdirSync(outDir, { recursive: true });
fs.writeFileSync(path.join(outDir, 'http-latest.json'), JSON.stringify(report, null, 2) + '\n');
fs.writeFileSync(path.join(outDir, 'http-latest.md'), md.join('\n'));
console.log(md.join('\n'));
