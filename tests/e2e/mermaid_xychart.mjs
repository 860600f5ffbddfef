// Checks a Mermaid xychart-beta chart with Mermaid's own parser, offline, in Node (used by test_planning.py),
// as mermaid_gantt.mjs does for the gantt chart.
//
// usage: node mermaid_xychart.mjs NODE_MODULES < chart.mmd
// On success prints JSON {type, title} and exits 0; on any error prints it to stderr and exits 1.
import { createRequire } from 'module';
import { join } from 'path';
import { readFileSync } from 'fs';
import { pathToFileURL } from 'url';

const modules = process.argv[2];
if (!modules) {
  console.error('usage: node mermaid_xychart.mjs NODE_MODULES < chart.mmd');
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
  if (!parsed || parsed.diagramType !== 'xychart') throw new Error(`not an xychart: ${JSON.stringify(parsed)}`);
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
  console.log(JSON.stringify({ type: parsed.diagramType, title: diagram.db.getDiagramTitle() }));
} catch (e) {
  console.error(`mermaid: ${e && e.message ? e.message : e}`);
  process.exit(1);
}
