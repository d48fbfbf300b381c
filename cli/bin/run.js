#!/usr/bin/env node
// The asix CLI. Commands are built into dist/ by `npm install` (prepare) or `npm run build`.
const { execute } = require("@oclif/core");

execute({ dir: __dirname });
