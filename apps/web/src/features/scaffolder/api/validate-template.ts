import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { PutTemplateBody, ValidateTemplateResponse } from '../types.ts';

export const validateTemplate = (body: PutTemplateBody) =>
  api<ValidateTemplateResponse>('/v1/scaffolder/templates/validate', { method: 'POST', body });

export const useValidateTemplate = () => useMutation({ mutationFn: validateTemplate });
