'use strict';

const REGISTRATION_TOKEN = '<<ward:SEC-063>>';

module.exports = { REGISTRATION_TOKEN };
