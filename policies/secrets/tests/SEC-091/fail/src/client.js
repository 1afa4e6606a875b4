'use strict';

const DOPPLER_TOKEN = '<<ward:SEC-091>>';

module.exports = { DOPPLER_TOKEN };
