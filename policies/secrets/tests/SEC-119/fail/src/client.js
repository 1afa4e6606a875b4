'use strict';

const DISCORD_BOT_TOKEN = '<<ward:SEC-119>>';

module.exports = { DISCORD_BOT_TOKEN };
