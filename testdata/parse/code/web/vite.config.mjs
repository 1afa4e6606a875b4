export default { base: import.meta.env.VITE_BASE_PATH, define: { key: `${process.env[`API_TOKEN`]}` } };
