import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { pagedQuery } from '@/lib/api/paging';
import { SearchPage } from './search-page';
import { SearchBox } from './search-box';
import { hitPath, type SearchHit, type SearchKind } from './api';

const hit = (kind: SearchKind, id: string, more: Partial<SearchHit> = {}): SearchHit => ({
  kind,
  id,
  title: `Title ${id}`,
  snippet: '',
  client_id: 'c1',
  project_id: 'p1',
  task_id: kind === 'comment' || kind === 'task' ? 't1' : null,
  visibility: null,
  ...more,
});

const asked: { q: string; kind?: string; cursor?: string }[] = [];
vi.mock('./api', async (original) => {
  const real = await original<typeof import('./api')>();
  return {
    ...real,
    searchQuery: (q: string, kind?: SearchKind) =>
      pagedQuery(['search', q, kind ?? 'all'], async (cursor) => {
        asked.push({ q, kind, cursor });
        if (cursor === 'p2') return { items: [hit('file', 'f9')], next_cursor: null };
        if (q === 'nothing') return { items: [], next_cursor: null };
        return {
          items: [
            hit('task', 't1', { title: 'Homepage wireframes' }),
            hit('comment', 'n1', { title: 'Homepage wireframes', visibility: 'note', snippet: 'internal budget' }),
          ],
          next_cursor: 'p2',
        };
      }),
  };
});

function renderAt(url: string, staff = true) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <MemoryRouter initialEntries={[url]}>
        <SearchBox staff={staff} />
        <Routes>
          <Route path="/staff/search" element={<SearchPage staff />} />
          <Route path="/search" element={<SearchPage staff={false} />} />
        </Routes>
      </MemoryRouter>
    </QueryClientProvider>,
  );
}

describe('SearchPage', () => {
  it('lists the hits best first, marks a Note as one, and pages on with Show more', async () => {
    renderAt('/staff/search?q=wireframes');
    const list = await screen.findByRole('list');
    const items = within(list).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Task Homepage wireframes');
    expect(items[1]).toHaveTextContent('Note');
    expect(items[1]).toHaveTextContent('internal budget');
    expect(within(items[1]).getByRole('link')).toHaveAttribute('href', '/staff/tasks/t1#comment-n1');
    await userEvent.click(screen.getByRole('button', { name: /show more/i }));
    expect(await screen.findByRole('link', { name: 'Title f9' })).toHaveAttribute('href', '/staff/files/f9');
    expect(asked.at(-1)).toEqual({ q: 'wireframes', kind: undefined, cursor: 'p2' });
  });

  it('narrows to a kind, and says so when nothing is found', async () => {
    renderAt('/search?q=nothing', false);
    expect(await screen.findByText(/Nothing found for “nothing”/)).toBeInTheDocument();
    const show = screen.getByRole('combobox', { name: 'Show' });
    expect(within(show).queryByRole('option', { name: 'Clients' })).toBeNull();
    await userEvent.selectOptions(show, 'invoice');
    await screen.findByText(/Nothing found/);
    expect(asked.at(-1)).toMatchObject({ q: 'nothing', kind: 'invoice' });
  });

  it('opens the results for what is typed into the top bar', async () => {
    renderAt('/search', false);
    expect(screen.getByText(/Type a word or two/)).toBeInTheDocument();
    await userEvent.type(screen.getByRole('searchbox', { name: 'Search' }), 'logo{Enter}');
    expect(await screen.findByText(/Results for/)).toHaveTextContent('Results for logo');
  });
});

describe('hitPath', () => {
  it('leads a client to their own pages and staff to theirs', () => {
    expect(hitPath(hit('invoice', 'i1'), false)).toBe('/billing/i1');
    expect(hitPath(hit('invoice', 'i1'), true)).toBe('/staff/invoices/i1');
    expect(hitPath(hit('project', 'p1'), false)).toBe('/projects/p1');
    expect(hitPath(hit('client', 'c1'), true)).toBe('/staff/clients/c1');
  });
});
