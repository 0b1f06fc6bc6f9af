// Every suite: quiet logs, private webhook targets allowed (receivers live on 127.0.0.1).
process.env.LOG_LEVEL ??= 'silent';
process.env.ALLOW_PRIVATE_WEBHOOK_URLS ??= 'true';
