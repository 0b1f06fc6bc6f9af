#!/usr/bin/env node
// The referloop CLI. Core runs from its TypeScript sources through tsx (no build step).
require('tsx/cjs');
require('../src/cli/main.ts');
