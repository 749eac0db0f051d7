import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';

/** The search field of the top bar: Enter opens the results page for the words typed. */
export function SearchBox({ staff }: { staff: boolean }) {
  const { t } = useTranslation(['search', 'common']);
  const [params] = useSearchParams();
  const [q, setQ] = useState(params.get('q') ?? '');
  const navigate = useNavigate();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const words = q.trim();
    if (words) navigate(`${staff ? '/staff' : ''}/search?q=${encodeURIComponent(words)}`);
  };
  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <label htmlFor="site-search" className="visually-hidden">
        {t('common:action.search')}
      </label>
      <input
        id="site-search"
        type="search"
        placeholder={t('box.placeholder')}
        value={q}
        maxLength={200}
        onChange={(e) => setQ(e.target.value)}
      />
    </form>
  );
}
