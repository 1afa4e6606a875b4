'use strict';

const DD_APP_KEY = '<<ward:SEC-105>>';

module.exports = { DD_APP_KEY };
