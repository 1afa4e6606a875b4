'use strict';

const SQUARE_ACCESS_TOKEN = '<<ward:SEC-133>>';

module.exports = { SQUARE_ACCESS_TOKEN };
