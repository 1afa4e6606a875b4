'use strict';

const ANTHROPIC_ADMIN_KEY = '<<ward:SEC-049>>';

module.exports = { ANTHROPIC_ADMIN_KEY };
