export interface Config {
  aiPlatform?: {
    /**
     * Local git publishing, the embedded setup without a git host: the
     * scaffolder's `ai-platform:publish:local-git` writes repositories here,
     * and the catalog reads `ai-platform-local-git` locations only inside.
     */
    localGit?: {
      /**
       * The directory of the local git repositories, absolute or relative to
       * the backend's working directory. Required by the local-git modules.
       */
      root: string;
      /**
       * Commit author when the user's profile has no display name or email.
       * Default `Backstage Scaffolder <scaffolder@backstage.local>`.
       */
      author?: {
        name?: string;
        email?: string;
      };
    };
  };
}
