import type { TemplateFile } from '@portolan/contract';
import type { EntitiesService } from '../../entities/entities.service.ts';
import type { GitHubService } from '../../github/github.service.ts';
import type { Actor } from '../../request-context.ts';

/** The files a task builds before publishing them: path (posix, relative) → content. */
export type Workspace = Map<string, Buffer>;

export interface ActionContext {
  input: Record<string, unknown>;
  workspace: Workspace;
  /** The template's own files (skeleton/…), as stored with it. */
  templateFiles: Record<string, TemplateFile>;
  /** Appends a line to the task log (redacted, stored, streamed). */
  log(message: string): Promise<void>;
  signal: AbortSignal;
  dryRun: boolean;
  /**
   * Runs `fn` once per task: its result is stored under `key` as soon as it returns, and a resumed
   * or retried step gets the stored result instead of running it again.
   */
  checkpoint<T>(key: string, fn: () => Promise<T>): Promise<T>;
  /** What earlier attempts of this step stored (for actions that need to inspect them). */
  checkpoints: Record<string, unknown>;
  setCheckpoint(key: string, value: unknown): Promise<void>;
  clearCheckpoint(key: string): Promise<void>;
  github: GitHubService;
  entities: EntitiesService;
  actor: Actor;
  taskId: string | null;
  templateName: string;
}

export interface ActionDefinition {
  id: string;
  description: string;
  /** `workspace`: only builds files (pure, replayed to rebuild the workspace on resume);
   * `effect`: changes something outside (never repeated once it succeeded). */
  kind: 'workspace' | 'effect';
  needsGitHub: boolean;
  /** Checks the rendered input; returns problems (path, message). */
  validate?(input: Record<string, unknown>): { path: string; message: string }[];
  /** What a dry run shows for an effect action instead of running it, with made-up outputs. */
  describe?(input: Record<string, unknown>, ctx: { githubWebUrl: string; workspace: Workspace }): { description: string; output: Record<string, unknown> };
  run(ctx: ActionContext): Promise<Record<string, unknown>>;
}

export class ActionInputError extends Error {}

export function str(input: Record<string, unknown>, key: string, fallback?: string): string {
  const v = input[key];
  if (v === undefined || v === null || v === '') {
    if (fallback !== undefined) return fallback;
    throw new ActionInputError(`input "${key}" is required`);
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw new ActionInputError(`input "${key}" must be a string`);
  return String(v);
}

export function optStr(input: Record<string, unknown>, key: string): string | undefined {
  const v = input[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' && typeof v !== 'number') throw new ActionInputError(`input "${key}" must be a string`);
  return String(v);
}

export function strList(input: Record<string, unknown>, key: string): string[] {
  const v = input[key];
  if (v === undefined || v === null || v === '') return [];
  if (typeof v === 'string') return [v];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw new ActionInputError(`input "${key}" must be a list of strings`);
  return v as string[];
}
