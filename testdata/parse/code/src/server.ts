import express from "express";

const db = connect(process.env.DATABASE_URL);
const stripe = new Stripe(process.env.STRIPE_API_KEY!);
const port = Number(process.env.PORT ?? 3000);
Sentry.init({ dsn: process.env["SENTRY_DSN"] });
// process.env.OLD_SETTING is gone
