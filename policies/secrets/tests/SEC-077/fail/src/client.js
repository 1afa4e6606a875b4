'use strict';

const DOCKERHUB_TOKEN = '<<ward:SEC-077>>';

module.exports = { DOCKERHUB_TOKEN };
