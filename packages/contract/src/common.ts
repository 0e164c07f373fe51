import { z } from 'zod';

/** Port's identifier rules (see shared/research/port.md §2.2). */
export const BLUEPRINT_IDENTIFIER_PATTERN = /^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/-]+$/u;
export const ENTITY_IDENTIFIER_PATTERN = /^(?!\.{1,2}$)[\p{L}0-9@_.+:\\/=-]+$/u;
export const FIELD_IDENTIFIER_PATTERN = /^[A-Za-z0-9@_=\\-]+$/;

export const blueprintIdentifier = z
  .string()
  .min(1)
  .max(100)
  .regex(BLUEPRINT_IDENTIFIER_PATTERN, 'may contain letters, digits and @ _ . + : \\ / - only (not "." or "..")');

export const entityIdentifier = z
  .string()
  .min(1)
  .max(1000)
  .regex(ENTITY_IDENTIFIER_PATTERN, 'may contain letters, digits and @ _ . + : \\ / = - only (not "." or "..")');

export const fieldIdentifier = z
  .string()
  .min(1)
  .max(100)
  .regex(FIELD_IDENTIFIER_PATTERN, 'may contain A-Z a-z 0-9 @ _ = - only');

export const isoDateTime = z.string();

/** Boolean query-string flags as Port sends them (`?upsert=true`). */
export const queryFlag = z
  .enum(['true', 'false', '1', '0'])
  .optional()
  .transform((v) => v === 'true' || v === '1');

export const okTrue = z.literal(true);
