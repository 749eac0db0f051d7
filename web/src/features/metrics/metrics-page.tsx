// Staff's portal metrics (`metrics.read`): adoption, response times, replies awaiting an answer,
// portal versus e-mail and satisfaction, for a period and one client or all. The filters live
// in the URL (`?period=26w&client_id=…`), so a view can be bookmarked and linked to.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useQuery } from '@tanstack/react-query';
import { activeClientsQuery } from '@/lib/api/shared';
import { SelectField, TextField } from '@/components/ui/field';
import { AdoptionSection } from './adoption';
import { AwaitingSection } from './awaiting';
import { ChannelsSection } from './channels';
import { PERIODS, periodFilters, readView, withChanges, type MetricsView, type Period } from './period';
import { ResponsivenessSection } from './responsiveness';
import { SatisfactionSection } from './satisfaction';

export function MetricsPage() {
  const { t } = useTranslation(['metrics', 'common']);
  const [params, setParams] = useSearchParams();
  const view = readView(params);
  const filters = periodFilters(view);
  /** Filters are a step back in history; toggles within a section replace the entry. */
  const change = (changes: Partial<MetricsView>, replace = false) =>
    setParams((current) => withChanges(current, changes), { replace });
  return (
    <>
      <h1>{t('page.title')}</h1>
      <p className="muted">{t('page.intro')}</p>
      <Filters key={`${view.period}|${view.from}|${view.to}|${view.clientId ?? ''}`} view={view} apply={change} />
      <AdoptionSection filters={filters} />
      <ResponsivenessSection filters={filters} asked={view.asked} onAsked={(asked) => change({ asked }, true)} />
      <AwaitingSection
        clientId={view.clientId}
        all={view.allAwaiting}
        onAll={(allAwaiting) => change({ allAwaiting }, true)}
      />
      <ChannelsSection filters={filters} />
      <SatisfactionSection filters={filters} />
    </>
  );
}

function Filters({ view, apply }: { view: MetricsView; apply: (changes: Partial<MetricsView>) => void }) {
  const { t } = useTranslation(['metrics', 'common']);
  const clients = useQuery(activeClientsQuery());
  const [period, setPeriod] = useState<Period>(view.period);
  const [from, setFrom] = useState(view.from);
  const [to, setTo] = useState(view.to);
  const [client, setClient] = useState(view.clientId ?? '');
  const known = !view.clientId || clients.data?.items.some((c) => c.id === view.clientId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    apply({ period, from, to, clientId: client || undefined });
  };
  return (
    <form className="panel filters" onSubmit={submit} aria-label={t('filters.label')}>
      <SelectField label={t('filters.period')} value={period} onChange={(e) => setPeriod(e.target.value as Period)}>
        {PERIODS.map((p) => (
          <option key={p} value={p}>
            {t(`filters.periods.${p}`)}
          </option>
        ))}
      </SelectField>
      {period === 'custom' && (
        <>
          <TextField
            label={t('filters.from')}
            type="date"
            value={from}
            max={to || undefined}
            onChange={(e) => setFrom(e.target.value)}
          />
          <TextField
            label={t('filters.to')}
            type="date"
            value={to}
            min={from || undefined}
            onChange={(e) => setTo(e.target.value)}
          />
        </>
      )}
      <SelectField label={t('filters.client')} value={client} onChange={(e) => setClient(e.target.value)}>
        <option value="">{t('filters.allClients')}</option>
        {!known && view.clientId && <option value={view.clientId}>{t('filters.chosenClient')}</option>}
        {clients.data?.items.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="btn btn--primary">
        {t('filters.apply')}
      </button>
    </form>
  );
}
