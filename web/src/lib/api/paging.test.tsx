import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { QueryState, ShowMore } from '@/components/ui/states';
import { pagedQuery, usePaged } from './paging';

const fetchPage = vi.fn(async (cursor: string | undefined) =>
  cursor === undefined
    ? { items: ['first', 'second'], next_cursor: 'c2' }
    : { items: [`after ${cursor}`], next_cursor: null },
);

function List() {
  const list = usePaged(pagedQuery(['things'], fetchPage));
  return (
    <>
      <QueryState query={list}>
        {(data) => (
          <ul>
            {data.items.map((t) => (
              <li key={t}>{t}</li>
            ))}
          </ul>
        )}
      </QueryState>
      <ShowMore query={list} what="things" />
    </>
  );
}

describe('a paged list', () => {
  it('shows every page read as one list, follows next_cursor, and stops at the last page', async () => {
    render(
      <QueryClientProvider client={new QueryClient()}>
        <List />
      </QueryClientProvider>,
    );
    expect(await screen.findByText('second')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Show more things' }));
    expect(await screen.findByText('after c2')).toBeInTheDocument();
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['first', 'second', 'after c2']);
    expect(fetchPage).toHaveBeenLastCalledWith('c2');
    expect(screen.queryByRole('button', { name: 'Show more things' })).not.toBeInTheDocument();
  });

  it('keeps its cache entry apart from a plain query of the same list, under the same resource', () => {
    expect(pagedQuery(['clients', 'list', { status: 'active' }], fetchPage).queryKey).toEqual([
      'clients',
      'list',
      { status: 'active' },
      'paged',
    ]);
  });
});
