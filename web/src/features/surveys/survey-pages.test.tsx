import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, queryOptions } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '@/lib/api/problem';
import { SurveyLinkPage, SurveyPage, SurveyPrompts } from './survey-pages';

const open = [
  {
    id: 's-1',
    subject: 'task',
    title: 'Launch plan',
    task_id: 't-1',
    project_id: 'p-1',
    created_at: '2026-11-02T09:00:00Z',
    expires_at: '2026-12-02T09:00:00Z',
    answered_at: null,
    score: null,
    comment: null,
  },
];
const mutation = () => ({ isPending: false, isSuccess: false, error: null as unknown, mutate: vi.fn() });
let byLink = mutation();
let inPortal = mutation();
vi.mock('./api', () => ({
  openSurveysQuery: () => queryOptions({ queryKey: ['surveys'], queryFn: async () => open }),
  useAnswerByLink: () => byLink,
  useAnswerSurvey: () => inPortal,
}));

function show(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[path]}>
        <Routes>
          <Route path="/survey" element={<SurveyLinkPage />} />
          <Route path="/surveys/:id" element={<SurveyPage />} />
          <Route path="/" element={<SurveyPrompts />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

beforeEach(() => {
  byLink = mutation();
  inPortal = mutation();
});

describe('a satisfaction survey', () => {
  it('answers through the e-mail link with the token from the fragment', async () => {
    show('/survey#token=tok-123');
    await userEvent.click(screen.getByRole('radio', { name: '4 — Very good' }));
    await userEvent.type(screen.getByLabelText('Anything you would like to tell us? (optional)'), ' Quick work ');
    await userEvent.click(screen.getByRole('button', { name: 'Send my answer' }));
    expect(byLink.mutate).toHaveBeenCalledWith({ token: 'tok-123', score: 4, comment: 'Quick work' });
  });

  it('asks for a score before sending anything', async () => {
    show('/survey#token=tok-123');
    await userEvent.click(screen.getByRole('button', { name: 'Send my answer' }));
    expect(screen.getByRole('alert')).toHaveTextContent('Choose a score from 1 to 5.');
    expect(byLink.mutate).not.toHaveBeenCalled();
  });

  it('says so when the link has expired', () => {
    byLink.error = new ApiError({
      type: 'urn:portico:problem:validation',
      title: 'Validation failed',
      status: 422,
      detail: 'The request has fields that need attention.',
      errors: { token: ['this survey link has expired'] },
    });
    show('/survey#token=tok-123');
    expect(screen.getByText('this survey link has expired')).toBeInTheDocument();
  });

  it('tells a link without its token to open it again', () => {
    show('/survey');
    expect(screen.getByRole('alert')).toHaveTextContent('This link is incomplete.');
  });

  it('lists the open surveys on the home and answers one in the portal', async () => {
    show('/');
    const link = await screen.findByRole('link', { name: 'How did we do on “Launch plan”?' });
    expect(link).toHaveAttribute('href', '/surveys/s-1');
  });

  it('answers one of the person’s own surveys by id, and calls another closed', async () => {
    const { unmount } = show('/surveys/s-1');
    await userEvent.click(await screen.findByRole('radio', { name: '2 — Fair' }));
    await userEvent.click(screen.getByRole('button', { name: 'Send my answer' }));
    expect(inPortal.mutate).toHaveBeenCalledWith({ id: 's-1', score: 2 });
    unmount();
    show('/surveys/s-other');
    expect(await screen.findByText(/This survey is closed/)).toBeInTheDocument();
  });
});
