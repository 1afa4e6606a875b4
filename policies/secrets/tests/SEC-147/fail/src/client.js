'use strict';

const DUFFEL_ACCESS_TOKEN = '<<ward:SEC-147>>';

module.exports = { DUFFEL_ACCESS_TOKEN };
