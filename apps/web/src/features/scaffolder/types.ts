import type { z } from 'zod';
import type {
  dryRunBodySchema,
  dryRunResponseSchema,
  putTemplateBodySchema,
  scaffolderActionsResponseSchema,
  taskListQuerySchema,
  taskListResponseSchema,
  taskResponseSchema,
  taskSummarySchema,
  templateListQuerySchema,
  templateListResponseSchema,
  templateResponseSchema,
  validateTemplateResponseSchema,
} from '@portolan/contract';

// Scaffolder payload types inferred from the shared contract (type-only: no zod at run time).
export type { Task, TaskEvent, Template, TemplateSummary, DryRunResponse } from '@portolan/contract';
export type TemplateListQuery = z.input<typeof templateListQuerySchema>;
export type TemplateListResponse = z.infer<typeof templateListResponseSchema>;
export type TemplateResponse = z.infer<typeof templateResponseSchema>;
export type PutTemplateBody = z.input<typeof putTemplateBodySchema>;
export type ValidateTemplateResponse = z.infer<typeof validateTemplateResponseSchema>;
export type DryRunBody = z.input<typeof dryRunBodySchema>;
export type DryRunResult = z.infer<typeof dryRunResponseSchema>;
export type ActionsResponse = z.infer<typeof scaffolderActionsResponseSchema>;
export type TaskResponse = z.infer<typeof taskResponseSchema>;
type TaskListInput = z.input<typeof taskListQuerySchema>;
/** The history's filters as the client sends them (the cursor is added per page). */
export type TaskListQuery = { owner?: TaskListInput['owner']; status?: TaskListInput['status']; templateName?: string; createdBy?: string; limit?: number };
export type TaskListResponse = z.infer<typeof taskListResponseSchema>;
export type TaskSummary = z.infer<typeof taskSummarySchema>;
export type TaskStatus = TaskSummary['status'];
export type StepStatus = TaskResponse['task']['steps'][number]['status'];
