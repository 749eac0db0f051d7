import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { QueryClient, QueryClientProvider, queryOptions } from '@tanstack/react-query';
import { describe, expect, it, vi } from 'vitest';
import { TwoFactorPanel } from './two-factor-panel';

const refresh = vi.hoisted(() => vi.fn(async () => true));
const codes = Array.from({ length: 10 }, (_, i) => `aaaa-bbbb-cccc-000${i}`);
const status = { enabled: false, enabled_at: null, required: false, recovery_codes_left: 0 };
const setupAnswer = {
  secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  otpauth_uri: 'otpauth://totp/x',
  qr_svg: '<svg/>',
  expires_in: 900,
};
const mutation = <T,>(answer: T) => {
  const m = {
    isPending: false,
    error: null,
    data: undefined as T | undefined,
    reset: vi.fn(),
    mutate: vi.fn((_arg: unknown, opts?: { onSuccess?: (r: T) => void }) => {
      m.data = answer;
      opts?.onSuccess?.(answer);
    }),
  };
  return m;
};
const setup = mutation(setupAnswer);
const confirm = mutation({ recovery_codes: codes });

vi.mock('@/lib/session', () => ({ session: { refresh } }));
vi.mock('./api', () => ({
  twoFactorQuery: () => queryOptions({ queryKey: ['two-factor'], queryFn: async () => status }),
  useTwoFactorActions: () => ({ setup, confirm, newCodes: mutation(null), disable: mutation(null) }),
}));

describe('two-factor sign-in in the profile', () => {
  it('sets up an app with the password and a code, then shows the recovery codes once', async () => {
    const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    render(
      <QueryClientProvider client={client}>
        <TwoFactorPanel />
      </QueryClientProvider>,
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole('button', { name: 'Set up two-factor sign-in' }));
    await user.type(screen.getByLabelText('Your password'), 'my password');
    await user.click(screen.getByRole('button', { name: 'Set up an authenticator app' }));
    expect(setup.mutate).toHaveBeenCalledWith('my password', expect.anything());

    expect(screen.getByRole('img', { name: 'QR code for your authenticator app' })).toBeInTheDocument();
    expect(screen.getByLabelText('Set-up key')).toHaveTextContent(setupAnswer.secret);
    await user.type(screen.getByLabelText(/Code from the app/), '123456');
    await user.click(screen.getByRole('button', { name: 'Turn on two-factor sign-in' }));
    expect(confirm.mutate).toHaveBeenCalledWith('123456', expect.anything());

    const shown = screen.getByRole('region', { name: 'Your recovery codes' });
    expect(within(shown).getAllByRole('listitem')).toHaveLength(10);
    // The session is renewed only once they are saved: the codes stay on screen until then.
    expect(refresh).not.toHaveBeenCalled();
    await user.click(within(shown).getByRole('button', { name: 'I have saved them' }));
    expect(refresh).toHaveBeenCalled();
    expect(screen.queryByRole('region', { name: 'Your recovery codes' })).not.toBeInTheDocument();
  });
});
