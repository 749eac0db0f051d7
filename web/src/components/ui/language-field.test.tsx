import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { LanguageField } from './language-field';

describe('LanguageField', () => {
  it('offers each language in its own name, and Automatic for a person', async () => {
    const onChange = vi.fn();
    render(<LanguageField label="Language" value={null} onChange={onChange} automatic />);
    const select = screen.getByLabelText('Language');
    expect([...select.querySelectorAll('option')].map((o) => o.textContent)).toEqual([
      'Automatic (your browser’s language)',
      'English',
      'Deutsch',
      'Français',
    ]);
    await userEvent.selectOptions(select, 'Deutsch');
    expect(onChange).toHaveBeenLastCalledWith('de');
    await userEvent.selectOptions(select, 'Automatic (your browser’s language)');
    expect(onChange).toHaveBeenLastCalledWith(null);
  });

  it('has no Automatic for the agency’s default', () => {
    render(<LanguageField label="Default language" value="fr" onChange={() => {}} />);
    expect(screen.getByLabelText('Default language')).toHaveValue('fr');
    expect(screen.queryByText(/Automatic/)).not.toBeInTheDocument();
  });
});
