export interface Config {
  aiPlatform?: {
    /**
     * Groups whose members may take AI Platform governance actions (halt and
     * resume pipelines), as entity refs, e.g. `group:default/platform-team`.
     */
    adminGroups?: string[];
  };
}
