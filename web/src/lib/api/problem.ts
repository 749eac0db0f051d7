// RFC 9457 problem documents, as the API sends them, turned into errors the UI can show
// next to the fields they name.
import type { components } from './schema';
import { i18n } from '../i18n';

export type Problem = components['schemas']['Problem'];

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail || problem.title);
    this.status = problem.status;
    this.problem = problem;
  }

  /** Messages for one field (e.g. `email`, `lines[0].quantity`). */
  field(name: string): string | undefined {
    return this.problem.errors?.[name]?.join(' ');
  }
}

export function toProblem(status: number, body: unknown): Problem {
  if (body && typeof body === 'object' && 'status' in body && 'title' in body) {
    return body as Problem;
  }
  return {
    type: 'about:blank',
    title: status === 0 ? i18n.t('state.networkTitle') : i18n.t('state.requestFailed'),
    status,
    detail: status === 0 ? i18n.t('state.unreachable') : i18n.t('state.serverAnswered', { status }),
  };
}

/** Unwraps an openapi-fetch result: the data, or an ApiError built from the problem. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.error !== undefined || !result.response.ok) {
    throw new ApiError(toProblem(result.response.status, result.error));
  }
  return result.data as T;
}
