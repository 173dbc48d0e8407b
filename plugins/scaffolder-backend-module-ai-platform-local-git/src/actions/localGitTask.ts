import git from 'isomorphic-git';
import fs from 'node:fs';

/**
 * The commit trailer with which `ai-platform:publish:local-git` records the
 * scaffolder task that created a repository; `register-file` registers only
 * repositories of its own task.
 */
export const TASK_TRAILER = 'Backstage-Task';

/** The trailer line for a task id (ids have no line breaks; made sure). */
export function taskTrailer(taskId: string): string {
  return `${TASK_TRAILER}: ${taskId.replace(/\s+/g, ' ').trim()}`;
}

/**
 * The HEAD commit of a local repository and the task recorded in its last
 * line, or no task when the repository has no commit or no such trailer.
 */
export async function readRepositoryTask(
  dir: string,
): Promise<{ commit?: string; taskId?: string }> {
  let commit: string;
  try {
    commit = await git.resolveRef({ fs, dir, ref: 'HEAD' });
  } catch {
    return {};
  }
  const { commit: object } = await git.readCommit({ fs, dir, oid: commit });
  const lastLine = object.message.trimEnd().split('\n').pop() ?? '';
  const prefix = `${TASK_TRAILER}: `;
  return {
    commit,
    taskId: lastLine.startsWith(prefix)
      ? lastLine.slice(prefix.length).trim()
      : undefined,
  };
}
