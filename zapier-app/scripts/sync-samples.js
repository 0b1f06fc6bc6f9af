/* global require, __dirname, console */
// Copy the hub's event samples (core/src/events/samples) into the app: Zapier builds the app on its
// own, so it cannot import files from core. tests/apps/zapier checks that the copies are current.
const fs = require('node:fs');
const path = require('node:path');

const from = path.resolve(__dirname, '../../core/src/events/samples');
const to = path.resolve(__dirname, '../src/samples');
fs.mkdirSync(to, { recursive: true });
for (const file of fs.readdirSync(from).filter((f) => f.endsWith('.json'))) {
  fs.copyFileSync(path.join(from, file), path.join(to, file));
  console.log(`copied ${file}`);
}
