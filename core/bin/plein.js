#!/usr/bin/env node
// The `plein` command. The code is compiled TypeScript; run `npm run build` after a checkout.
'use strict';
const { main } = require('../dist/cli/main.js');
main(process.argv).then((code) => process.exit(code));
