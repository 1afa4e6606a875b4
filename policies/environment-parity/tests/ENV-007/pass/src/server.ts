const db = connect(process.env.DATABASE_URL);
const stripe = new Stripe(process.env.STRIPE_API_KEY!);
const port = Number(process.env.PORT ?? 3000);
Sentry.init({ dsn: process.env["SENTRY_DSN"] });
const e2e = [process.env.E2E_BASE_URL, process.env.E2E_TOKEN_FILE, process.env.CI_REPORT_DIR];
const jwt = process.env.JWT_SIGNING_KEY;
const tz = process.env.CRON_TZ;
const concurrency = process.env.WORKER_CONCURRENCY;
// process.env.OLD_SETTING is gone
