/**
 * The running workspaces: started at boot for every installation, on install, and on the first request
 * from a workspace whose runtime is not up (a start that failed earlier is tried again then); stopped on
 * uninstall. One start per workspace at a time — concurrent requests wait for the same one.
 */
import type { Logger } from '@slack/bolt';
import type { TeamInstallation } from './installation-store.js';
import type { WorkspaceRuntime } from './runtime.js';

export interface Registry {
  /** The workspace's runtime, starting it from its installation; null when it is not installed. */
  get(teamId: string): Promise<WorkspaceRuntime | null>;
  /** Stops the workspace's runtime (if running) and starts it again with the stored installation. */
  restart(teamId: string): Promise<WorkspaceRuntime | null>;
  /** Stops the workspace's runtime, if running. */
  stop(teamId: string): Promise<void>;
  /** The runtimes started so far (tests, /healthz). */
  running(): WorkspaceRuntime[];
  stopAll(): Promise<void>;
}

export function createRegistry(deps: {
  fetch(teamId: string): Promise<TeamInstallation | null>;
  start(teamId: string, botToken: string): Promise<WorkspaceRuntime>;
  logger: Logger;
}): Registry {
  const starting = new Map<string, Promise<WorkspaceRuntime | null>>();
  const up = new Map<string, WorkspaceRuntime>();

  const launch = (teamId: string): Promise<WorkspaceRuntime | null> => {
    const pending = (async () => {
      const installation = await deps.fetch(teamId);
      const token = installation?.bot?.token;
      if (!token) return null;
      const runtime = await deps.start(teamId, token);
      up.set(teamId, runtime);
      return runtime;
    })();
    starting.set(teamId, pending);
    // A failed start is forgotten, so the next request tries again instead of failing forever.
    pending
      .catch(() => {})
      .finally(() => {
        if (starting.get(teamId) === pending) starting.delete(teamId);
      });
    return pending;
  };

  const stop = async (teamId: string): Promise<void> => {
    await starting.get(teamId)?.catch(() => null);
    const runtime = up.get(teamId);
    up.delete(teamId);
    if (runtime) {
      await runtime.stop();
      deps.logger.info(`workspace ${teamId}: stopped`);
    }
  };

  return {
    async get(teamId) {
      return up.get(teamId) ?? starting.get(teamId) ?? launch(teamId);
    },
    async restart(teamId) {
      await stop(teamId);
      return launch(teamId);
    },
    stop,
    running: () => [...up.values()],
    async stopAll() {
      for (const teamId of new Set([...up.keys(), ...starting.keys()])) await stop(teamId);
    },
  };
}
