const db = connect(process.env.DATABASE_URL);
const stripe = new Stripe(process.env.STRIPE_API_KEY!);
const port = Number(process.env.PORT ?? 3000);
Sentry.init({ dsn: process.env["SENTRY_DSN"] });
const e2e = process.env.E2E_BASE_URL;
// process.env.OLD_SETTING is gone
