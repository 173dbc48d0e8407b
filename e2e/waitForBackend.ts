/**
 * Playwright global setup: the web server entry waits for the frontend only,
 * so wait here until the backend reports ready (every plugin initialized).
 */
export default async function waitForBackend() {
  const url =
    process.env.BACKEND_READINESS_URL ??
    'http://localhost:7007/.backstage/health/v1/readiness';
  const deadline = Date.now() + 180_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.ok) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = String(error);
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`The backend did not become ready at ${url}: ${last}`);
}
