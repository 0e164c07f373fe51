import type { z } from 'zod';
import type { actionListResponseSchema, approvalBodySchema, createRunBodySchema, runListResponseSchema, runLogsResponseSchema, runResponseSchema, userInputsSchema } from '@portolan/contract';

// Types inferred from the shared contract (type-only: no zod at run time).
export type { Action, Run, RunStatus, UserInputProperty } from '@portolan/contract';
export type ActionListResponse = z.infer<typeof actionListResponseSchema>;
export type RunResponse = z.infer<typeof runResponseSchema>;
export type RunListResponse = z.infer<typeof runListResponseSchema>;
export type RunLogsResponse = z.infer<typeof runLogsResponseSchema>;
export type RunLog = RunLogsResponse['logs'][number];
export type CreateRunBody = z.input<typeof createRunBodySchema>;
export type ApprovalBody = z.input<typeof approvalBodySchema>;
export type UserInputs = z.output<typeof userInputsSchema>;
