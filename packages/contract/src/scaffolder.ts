import { z } from 'zod';
import { okTrue } from './common.ts';

// Scaffolder payloads. Templates follow Backstage's `scaffolder.backstage.io/v1beta3` format, so
// templates people already have load unchanged; the server adds storage, tasks and dry-runs.

export const TEMPLATE_API_VERSION = 'scaffolder.backstage.io/v1beta3';

/** Backstage's metadata.name rule: 1–63 chars, alphanumeric runs separated by - _ . */
export const templateName = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9A-Z]+(?:[-_.][a-z0-9A-Z]+)*$/, 'letters and digits, separated by single - _ or . (at most 63 characters)');

export const stepId = z.string().min(1).max(100).regex(/^[A-Za-z_][\w-]*$/, 'letters, digits, _ and -, starting with a letter or _');

/** One page of the wizard: a JSON-Schema object with optional ui:* keys on its properties. */
export const parameterPageSchema = z
  .object({
    title: z.string().optional(),
    description: z.string().optional(),
    type: z.literal('object').optional(),
    required: z.array(z.string()).optional(),
    properties: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
  })
  .loose();
export type ParameterPage = z.infer<typeof parameterPageSchema>;

export const templateStepSchema = z
  .object({
    id: stepId,
    name: z.string().max(200).optional(),
    action: z.string().min(1).max(100),
    input: z.record(z.string(), z.unknown()).optional(),
    if: z.union([z.string(), z.boolean()]).optional(),
  })
  .loose();
export type TemplateStep = z.infer<typeof templateStepSchema>;

export const templateOutputLinkSchema = z.object({
  title: z.string().optional(),
  url: z.string().optional(),
  entityRef: z.string().optional(),
  icon: z.string().optional(),
}).loose();
export const templateOutputTextSchema = z.object({ title: z.string().optional(), content: z.string().optional(), default: z.boolean().optional() }).loose();

export const templateDocumentSchema = z.object({
  apiVersion: z.literal(TEMPLATE_API_VERSION, { error: `must be "${TEMPLATE_API_VERSION}"` }),
  kind: z.literal('Template', { error: 'must be "Template"' }),
  metadata: z
    .object({
      name: templateName,
      title: z.string().max(200).optional(),
      description: z.string().max(5000).optional(),
      tags: z.array(z.string().max(63)).max(50).optional(),
      annotations: z.record(z.string(), z.string()).optional(),
      namespace: z.string().optional(),
    })
    .loose(),
  spec: z
    .object({
      owner: z.string().max(200).optional(),
      type: z.string().min(1).max(100),
      parameters: z.union([parameterPageSchema, z.array(parameterPageSchema)]).optional(),
      steps: z.array(templateStepSchema).min(1, 'a template needs at least one step').max(100),
      output: z
        .object({ links: z.array(templateOutputLinkSchema).optional(), text: z.array(templateOutputTextSchema).optional() })
        .catchall(z.unknown())
        .optional(),
    })
    .loose(),
});
export type TemplateDocument = z.infer<typeof templateDocumentSchema>;

/** A file of a template (skeleton): UTF-8 text, or base64 for binary content. */
export const templateFileSchema = z.object({ content: z.string(), encoding: z.enum(['utf8', 'base64']).default('utf8') });
export type TemplateFile = z.infer<typeof templateFileSchema>;
export const templateFilesSchema = z.record(z.string().min(1).max(1000), z.union([z.string(), templateFileSchema]));

export const templateSummarySchema = z.object({
  name: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  tags: z.array(z.string()),
  type: z.string(),
  owner: z.string().nullable(),
  version: z.number().int(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
});
export type TemplateSummary = z.infer<typeof templateSummarySchema>;

export const templateSchema = templateSummarySchema.extend({
  /** The YAML as written. */
  yaml: z.string(),
  document: z.record(z.string(), z.unknown()),
  /** The wizard's pages, always as a list (a single schema object becomes one page). */
  parameterPages: z.array(z.record(z.string(), z.unknown())),
  /** Paths of the template's files (skeleton/…); contents with ?files=true. */
  filePaths: z.array(z.string()),
  files: z.record(z.string(), templateFileSchema).optional(),
});
export type Template = z.infer<typeof templateSchema>;

export const templateParamsSchema = z.object({ name: templateName });
export const templateGetQuerySchema = z.object({ files: z.enum(['true', 'false']).optional().transform((v) => v === 'true') });
export const templateListQuerySchema = z.object({
  q: z.string().max(200).optional(),
  tag: z.string().max(63).optional(),
  type: z.string().max(100).optional(),
});

/** Create or replace: the template YAML plus the files its fetch steps read (paths relative to the template). */
export const putTemplateBodySchema = z.object({
  yaml: z.string().min(1).max(1_000_000),
  files: templateFilesSchema.optional(),
});
export const templateResponseSchema = z.object({ ok: okTrue, template: templateSchema });
export const templateListResponseSchema = z.object({ ok: okTrue, templates: z.array(templateSummarySchema) });

/** Validate a template without storing it. */
export const validateTemplateResponseSchema = z.object({
  ok: okTrue,
  valid: z.boolean(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })),
});

// ---- dry run ----

export const dryRunBodySchema = z.object({
  /** A stored template, or `yaml` (+ `files`) for a template being edited. */
  templateName: templateName.optional(),
  yaml: z.string().max(1_000_000).optional(),
  files: templateFilesSchema.optional(),
  parameters: z.record(z.string(), z.unknown()).default({}),
});
export const dryRunFileSchema = z.object({ path: z.string(), content: z.string(), encoding: z.enum(['utf8', 'base64']), size: z.number().int() });
export const dryRunStepSchema = z.object({
  id: z.string(),
  name: z.string(),
  action: z.string(),
  /** false when its `if` is false. */
  willRun: z.boolean(),
  input: z.unknown(),
  /** What the step would do, in words (dry-run output of the action). */
  description: z.string(),
  output: z.record(z.string(), z.unknown()),
});
export const taskOutputSchema = z.object({
  links: z.array(z.object({ title: z.string().optional(), url: z.string().optional(), entityRef: z.string().optional(), icon: z.string().optional() })),
  text: z.array(z.object({ title: z.string().optional(), content: z.string().optional() })),
}).catchall(z.unknown());
export type TaskOutput = z.infer<typeof taskOutputSchema>;
export const dryRunResponseSchema = z.object({
  ok: okTrue,
  files: z.array(dryRunFileSchema),
  steps: z.array(dryRunStepSchema),
  output: taskOutputSchema,
  log: z.array(z.string()),
});
export type DryRunResponse = z.infer<typeof dryRunResponseSchema>;

// ---- tasks ----

export const TASK_STATUSES = ['open', 'processing', 'completed', 'failed', 'cancelled'] as const;
export const STEP_STATUSES = ['pending', 'running', 'succeeded', 'failed', 'skipped', 'cancelled'] as const;
export const taskStatusSchema = z.enum(TASK_STATUSES);
export const stepStatusSchema = z.enum(STEP_STATUSES);

export const taskStepSchema = z.object({
  id: z.string(),
  name: z.string(),
  action: z.string(),
  status: stepStatusSchema,
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  output: z.record(z.string(), z.unknown()).nullable(),
});
export const taskSchema = z.object({
  id: z.string(),
  templateName: z.string(),
  templateTitle: z.string().nullable(),
  status: taskStatusSchema,
  parameters: z.record(z.string(), z.unknown()),
  createdBy: z.string(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  output: taskOutputSchema.nullable(),
  cancelRequested: z.boolean(),
  attempt: z.number().int(),
  steps: z.array(taskStepSchema),
});
export type Task = z.infer<typeof taskSchema>;
export const taskSummarySchema = taskSchema.omit({ steps: true, parameters: true });

export const createTaskBodySchema = z.object({
  templateName,
  parameters: z.record(z.string(), z.unknown()).default({}),
});
export const taskParamsSchema = z.object({ id: z.uuid() });
export const taskListQuerySchema = z.object({
  createdBy: z.string().max(320).optional(),
  /** `me`: only the caller's tasks. */
  owner: z.enum(['me', 'all']).default('all'),
  status: taskStatusSchema.optional(),
  templateName: templateName.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Cursor from a previous page's `next`. */
  from: z.string().max(200).optional(),
});
export const taskResponseSchema = z.object({ ok: okTrue, task: taskSchema });
export const taskListResponseSchema = z.object({ ok: okTrue, tasks: z.array(taskSummarySchema), next: z.string().nullable() });

export const TASK_EVENT_TYPES = ['log', 'step_start', 'step_end', 'status', 'recovered'] as const;
export const taskEventSchema = z.object({
  id: z.string(),
  taskId: z.string(),
  type: z.enum(TASK_EVENT_TYPES),
  stepId: z.string().nullable(),
  body: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});
export type TaskEvent = z.infer<typeof taskEventSchema>;
export const taskEventsQuerySchema = z.object({ after: z.string().regex(/^\d+$/).optional() });
export const taskEventsResponseSchema = z.object({ ok: okTrue, events: z.array(taskEventSchema) });

/** Built-in actions, for the editor's help panel. */
export const scaffolderActionSchema = z.object({ id: z.string(), description: z.string(), supportsDryRun: z.boolean(), needsGitHub: z.boolean() });
export const scaffolderActionsResponseSchema = z.object({
  ok: okTrue,
  actions: z.array(scaffolderActionSchema),
  /** null when GitHub is configured; else what to set to enable GitHub steps. */
  githubNotConfigured: z.string().nullable(),
});
