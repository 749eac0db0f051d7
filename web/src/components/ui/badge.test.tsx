import { render, screen } from '@testing-library/react';
import { StatusBadge } from './badge';
import { showLanguage } from '@/lib/i18n';

describe('StatusBadge', () => {
  afterEach(async () => {
    await showLanguage('en', false);
  });

  it('names statuses and priorities in the language shown', async () => {
    await showLanguage('fr', false);
    render(
      <>
        <StatusBadge status="in_progress" />
        <StatusBadge status="urgent" />
      </>,
    );
    expect(screen.getByText('En cours')).toHaveClass('badge--in_progress');
    expect(screen.getByText('Urgente')).toHaveClass('badge--urgent');
  });

  it('reads a status it does not know as words', () => {
    render(<StatusBadge status="waiting_on_client" />);
    expect(screen.getByText('Waiting on client')).toBeInTheDocument();
  });
});
