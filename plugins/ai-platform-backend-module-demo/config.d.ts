export interface Config {
  aiPlatform?: {
    /**
     * Demo data of `@aiplatform/plugin-ai-platform-backend-module-demo`,
     * replayed through the backend's own ingestion routes when the backend
     * starts. For demo and trial portals only.
     */
    demo?: {
      /**
       * Replay 30 days of demo signals (the kb-answers incident: ingestion
       * lag 0.5 h to 12 h, accuracy 94% to 71%) for the example pipelines
       * through `POST /api/ai-platform/signals`. Default false.
       */
      signals?: boolean;
      /**
       * Replay 90 days of demo gateway usage (teams, services, models, a few
       * unattributed keys, one team over budget) through
       * `POST /api/ai-platform/usage`. Default false.
       */
      usage?: boolean;
      /**
       * A receiver for the backend's webhook halt enforcer at
       * `POST /api/ai-platform/demo/halt-webhook`: it verifies the
       * signature with `aiPlatform.governance.enforcers.webhook.secret` and
       * appends each call to `logFile` (one JSON line; a relative path is
       * resolved against the repository root, the nearest directory with a
       * `backstage.json` above the backend's working directory). Off without it.
       */
      haltWebhook?: {
        logFile: string;
      };
    };
  };
}
