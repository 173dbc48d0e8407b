/**
 * The AI Platform backend plugin: ownership graphs and findings of AI
 * pipelines over the catalog, signals and dashboards against SLOs, halts
 * with an audit log, and per-team inference spend.
 *
 * @packageDocumentation
 */
export { aiPlatformPlugin as default } from './plugin';
