import { Trans, useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { usePaged } from '@/lib/api/paging';
import { SelectField } from '@/components/ui/field';
import { Empty, QueryState, ShowMore } from '@/components/ui/states';
import { hasWords, hitPath, searchQuery, type SearchHit, type SearchKind } from './api';

const STAFF_KINDS: SearchKind[] = ['client', 'project', 'task', 'comment', 'invoice', 'file'];
const CLIENT_KINDS: SearchKind[] = ['project', 'task', 'comment', 'invoice', 'file'];

/** What a hit is, for its badge: a comment says whether it is a Reply or an internal Note. */
function kindKey(hit: SearchHit) {
  if (hit.kind === 'comment') return hit.visibility === 'note' ? 'common:visibility.note' : 'common:visibility.reply';
  return `kind.${hit.kind}` as const;
}

/** Results of the top bar's search, best first, narrowed to a kind if the reader likes. */
export function SearchPage({ staff }: { staff: boolean }) {
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const kind = (params.get('kind') as SearchKind | null) ?? undefined;
  const kinds = staff ? STAFF_KINDS : CLIENT_KINDS;
  const { t } = useTranslation('search');
  return (
    <section>
      <h1>{t('page.title')}</h1>
      {!hasWords(q) ? (
        <Empty>{t('page.noWords')}</Empty>
      ) : (
        <>
          <p>
            <Trans t={t} i18nKey="page.resultsFor" values={{ q }} components={{ strong: <strong /> }} />
          </p>
          <div className="narrow">
            <SelectField
              label={t('page.show')}
              value={kind ?? ''}
              onChange={(e) => {
                const next = new URLSearchParams(params);
                if (e.target.value) next.set('kind', e.target.value);
                else next.delete('kind');
                setParams(next);
              }}
            >
              <option value="">{t('page.everything')}</option>
              {kinds.map((k) => (
                <option key={k} value={k}>
                  {t(`kinds.${k}`)}
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
  const { t } = useTranslation(['search', 'common']);
  const results = usePaged(searchQuery(q, kind));
  return (
    <QueryState query={results} what={t('results.searching')}>
      {({ items }) =>
        items.length === 0 ? (
          <Empty>{t('results.nothing', { q })}</Empty>
        ) : (
          <>
            <ol className="search-results">
              {items.map((hit) => (
                <li key={`${hit.kind}-${hit.id}`}>
                  <span className={`badge badge--${hit.visibility === 'note' ? 'note' : 'kind'}`}>
                    {t(kindKey(hit))}
                  </span>{' '}
                  <Link to={hitPath(hit, staff)}>{hit.title || t(`kind.${hit.kind}`)}</Link>
                  {hit.snippet && <p className="muted">{hit.snippet}</p>}
                </li>
              ))}
            </ol>
            <ShowMore query={results} what={t('results.more')} />
          </>
        )
      }
    </QueryState>
  );
}
