// Checks a Mermaid gantt chart with Mermaid's own parser, offline, in Node (used by test_report.py).
//
// usage: node mermaid_gantt.mjs NODE_MODULES < chart.mmd
// NODE_MODULES holds `mermaid` and `jsdom` (.ci/run installs them into build/node). Mermaid needs a DOM
// (DOMPurify), which jsdom provides. The chart is parsed with mermaid.parse (the grammar), then its gantt
// database compiles every task (dates, ids, durations), as rendering would. On success prints JSON
// {title, tasks: [{id, task, section, crit, milestone, start, end}]} and exits 0; on any error prints
// the error to stderr and exits 1.
import { createRequire } from 'module';
import { join } from 'path';
import { readFileSync } from 'fs';
import { pathToFileURL } from 'url';

const modules = process.argv[2];
if (!modules) {
  console.error('usage: node mermaid_gantt.mjs NODE_MODULES < chart.mmd');
  process.exit(2);
}
const require = createRequire(join(modules, 'noop.js'));
const { JSDOM } = require('jsdom');
const { window } = new JSDOM('<!DOCTYPE html><body></body>');
globalThis.window = window;
globalThis.document = window.document;
const entry = join(modules, 'mermaid', 'dist', 'mermaid.core.mjs');
const { default: mermaid } = await import(pathToFileURL(entry).href);

const text = readFileSync(0, 'utf8');
try {
  const parsed = await mermaid.parse(text);
  if (!parsed || parsed.diagramType !== 'gantt') throw new Error(`not a gantt chart: ${JSON.stringify(parsed)}`);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  const tasks = diagram.db.getTasks().map((t) => {
    for (const key of ['startTime', 'endTime']) {
      if (!(t[key] instanceof Date) || Number.isNaN(t[key].getTime())) throw new Error(`task ${t.id}: invalid ${key}`);
    }
    return {
      id: t.id, task: t.task, section: t.section, crit: Boolean(t.crit), milestone: Boolean(t.milestone),
      start: t.startTime.toISOString().slice(0, 10), end: t.endTime.toISOString().slice(0, 10),
    };
  });
  console.log(JSON.stringify({ title: diagram.db.getDiagramTitle(), tasks }));
} catch (e) {
  console.error(`mermaid: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
