'use strict';

const AZURE_DEVOPS_EXT_PAT = '<<ward:SEC-021>>';

module.exports = { AZURE_DEVOPS_EXT_PAT };
