// The closed sets the API defines, in the order screens offer them (one list, not one per page).
import type { Schemas } from './api/client';

export const TASK_STATUSES: Schemas['TaskResponse']['status'][] = ['todo', 'in_progress', 'done'];
export const TASK_PRIORITIES: Schemas['TaskResponse']['priority'][] = ['low', 'medium', 'high', 'urgent'];
export const PROJECT_STATUSES: Schemas['ProjectResponse']['status'][] = [
  'planned',
  'in_progress',
  'on_hold',
  'completed',
];
