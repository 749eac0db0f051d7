# Problem details: see problems.ftl.

## Signing in, refreshing, View as (sessions.rs)
signin-credentials-wrong = E-mail or password is incorrect.
signin-refresh-refused = The refresh token is invalid, expired or already used; log in again.
signin-two-factor-wrong = The two-factor code is wrong, or was already used.
signin-view-as-client-only = only client users can be viewed as
signin-view-as-not-active = this user has not activated their portal access
signin-view-as-none = This is not a View-as session: there is nothing to stop.

## Passwords (passwords.rs, auth/password.rs)
password-reset-link-invalid = This reset link is no longer valid: it has expired or was already used. Ask for a new one.
password-not-current = is not your current password
password-current-required = is required to set a new password
password-too-short = must be at least 8 characters
password-too-long = must be at most 128 characters
password-common = is one of the most common passwords; choose another

## Invitations (invitations.rs)
invitation-link-invalid = This invitation link is no longer valid: it has expired, was already used, or was replaced by a newer one. Ask your contact at the agency for a new invitation.
invitation-email-elsewhere = That e-mail address belongs to a user of another account or to staff.
invitation-contact-has-access = This contact already has portal access.
invitation-contact-deactivated = This contact's portal user is deactivated; reactivate them under Users.
invitation-email-taken = A user with that e-mail already exists.
invitation-role-not-client = must be a client role
invitation-user-active = This user already signs in with their own password.
invitation-user-deactivated = This user is deactivated; reactivate them first.
invitation-user-none-pending = This user has no pending invitation.
invitation-contact-none-pending = This contact has no pending invitation.

## Two-factor sign-in (two_factor.rs)
two-factor-code-wrong = is not a current code of your authenticator app, nor an unused recovery code
two-factor-already-on-setup = Two-factor sign-in is already on; turn it off first to use a new app.
two-factor-turned-on-meanwhile = Two-factor sign-in was turned on meanwhile.
two-factor-already-on = Two-factor sign-in is already on.
two-factor-no-setup = No set-up is under way, or it has expired; begin again.
two-factor-setup-code-wrong = is not the code the authenticator app shows now
two-factor-setup-changed = The set-up changed while this code was checked (another confirmation or a new set-up); reload and begin again.
two-factor-not-on-codes = Two-factor sign-in is not on; set it up first.
two-factor-not-on = Two-factor sign-in is not on.
two-factor-role-requires = Your role requires two-factor sign-in: it cannot be turned off.
two-factor-reset-own = Your own two-factor sign-in is yours to change, in your profile; another admin can reset it.

## Signed-in devices (devices.rs)
device-sign-in-too-old = This page's sign-in is too old to tell which device is this one; reload the page and try again.

## API keys (api_keys.rs)
key-permission-never = `{ $permission }` cannot be given to an API key
key-permission-not-held = you do not hold `{ $permission }`, so you cannot give it
key-permission-beyond-client-admin = `{ $permission }` is more than the account's Client Admin holds, so a key held to it cannot have it
key-name-blank = must not be blank
key-expiry-past = must be in the future

## Who is calling (auth/actor.rs, auth/jwt.rs)
actor-key-cannot-manage-api-keys = An API key cannot manage API keys; sign in as a person to do so.
actor-key-cannot-change-profile = An API key cannot change a person's profile or password; sign in as a person to do so.
actor-key-cannot-see-devices = An API key cannot see or end a person's signed-in devices; sign in as a person to do so.
actor-key-cannot-pay-online = An API key cannot pay an invoice online; sign in as a person to do so.
actor-own-by-key-devices = A person's signed-in devices are theirs alone: sign in as them to see or change them, not with an API key.
actor-own-by-key-second-factor = A person's second factor settings are theirs alone: sign in as them to see or change them, not with an API key.
actor-own-view-as-devices = A user's signed-in devices are theirs alone, even to View as.
actor-own-view-as-second-factor = A user's second factor settings are theirs alone, even to View as.
actor-account-inactive = This account is not active.
actor-view-as-ended = This View-as session has ended; start it again.
actor-session-ended = This session has ended; sign in again.
actor-key-invalid = This API key is no longer valid.
actor-key-of-grant-invalid = The API key this was made with is no longer valid.
# Why an access token or a download link was refused: follows "… was refused: ".
actor-token-invalid = invalid or expired token
actor-token-algorithm = unexpected algorithm
actor-token-not-access = not an access token
actor-token-key-reference = unexpected key reference in header
actor-link-invalid = invalid or expired link
actor-link-not-download = not a download link
