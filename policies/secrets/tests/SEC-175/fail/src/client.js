'use strict';

const NOTION_TOKEN = '<<ward:SEC-175>>';

module.exports = { NOTION_TOKEN };
