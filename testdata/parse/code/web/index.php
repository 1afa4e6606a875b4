<?php
# getenv('COMMENTED');
$db = getenv('DB_DSN');
$mode = $_ENV["APP_MODE"] ?? 'prod';
#[Attribute]
