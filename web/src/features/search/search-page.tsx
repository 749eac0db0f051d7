import { Link, useSearchParams } from 'react-router';
import { usePaged } from '@/lib/api/paging';
import { label } from '@/lib/format';
import { SelectField } from '@/components/ui/field';
import { Empty, QueryState, ShowMore } from '@/components/ui/states';
import { hasWords, hitPath, searchQuery, type SearchHit, type SearchKind } from './api';

const STAFF_KINDS: SearchKind[] = ['client', 'project', 'task', 'comment', 'invoice', 'file'];
const CLIENT_KINDS: SearchKind[] = ['project', 'task', 'comment', 'invoice', 'file'];
const KIND_NAMES: Record<SearchKind, string> = {
  client: 'Clients',
  project: 'Projects',
  task: 'Tasks',
  comment: 'Comments',
  invoice: 'Invoices',
  file: 'Files',
};

function kindLabel(hit: SearchHit): string {
  if (hit.kind === 'comment') return hit.visibility === 'note' ? 'Note' : 'Reply';
  return label(hit.kind);
}

/** Results of the top bar's search, best first, narrowed to a kind if the reader likes. */
export function SearchPage({ staff }: { staff: boolean }) {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = (params.get('kind') as SearchKind | null) ?? undefined;
  const kinds = staff ? STAFF_KINDS : CLIENT_KINDS;
  return (
    <section>
      <h1>Search</h1>
      {!hasWords(q) ? (
        <Empty>Type a word or two into the search field above.</Empty>
      ) : (
        <>
          <p>
            Results for <strong>{q}</strong>
          </p>
          <div className="narrow">
            <SelectField
              label="Show"
              value={kind ?? ''}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                if (e.target.value) next.set('kind', e.target.value);
                else next.delete('kind');
                setParams(next);
              }}
            >
              <option value="">Everything</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {KIND_NAMES[k]}
                </option>
              ))}
            </SelectField>
          </div>
          <Results q={q} kind={kind} staff={staff} />
        </>
      )}
    </section>
  );
}

function Results({ q, kind, staff }: { q: string; kind?: SearchKind; staff: boolean }) {
  const results = usePaged(searchQuery(q, kind));
  return (
    <QueryState query={results} what="Searching">
      {({ items }) =>
        items.length === 0 ? (
          <Empty>Nothing found for “{q}”.</Empty>
        ) : (
          <>
            <ol className="search-results">
              {items.map((hit) => (
                <li key={`${hit.kind}-${hit.id}`}>
                  <span className={`badge badge--${hit.visibility === 'note' ? 'note' : 'kind'}`}>
                    {kindLabel(hit)}
                  </span>{' '}
                  <Link to={hitPath(hit, staff)}>{hit.title || label(hit.kind)}</Link>
                  {hit.snippet && <p className="muted">{hit.snippet}</p>}
                </li>
              ))}
            </ol>
            <ShowMore query={results} what="results" />
          </>
        )
      }
    </QueryState>
  );
}
