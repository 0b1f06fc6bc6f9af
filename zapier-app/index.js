/* global module, require */
// Zapier's runtime require()s the app root: hand it the compiled definition (`npm run build` writes dist/).
module.exports = require('./dist/index.js').default;
