'use strict';

const NETLIFY_AUTH_TOKEN = '<<ward:SEC-035>>';

module.exports = { NETLIFY_AUTH_TOKEN };
