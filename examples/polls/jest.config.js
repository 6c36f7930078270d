// `npm test` in this folder runs this plugin's tests with the repository's Jest configuration, which
// compiles TypeScript and maps @plein/sdk and @plein/core to their sources.
const { resolve } = require('node:path');
const { jest: repository } = require('../../package.json');

module.exports = { ...repository, rootDir: resolve(__dirname, '../..'), roots: [__dirname] };
