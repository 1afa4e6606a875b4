'use strict';

const PLANETSCALE_SERVICE_TOKEN = '<<ward:SEC-161>>';

module.exports = { PLANETSCALE_SERVICE_TOKEN };
