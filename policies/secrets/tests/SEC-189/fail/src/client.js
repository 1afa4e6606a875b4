'use strict';

const OPENSHIFT_TOKEN = '<<ward:SEC-189>>';

module.exports = { OPENSHIFT_TOKEN };
