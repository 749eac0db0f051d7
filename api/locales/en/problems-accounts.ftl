# Problem details: see problems.ftl.

## A client account's own team
team-staff-have-no-team = The team belongs to a client account; staff manage users under Users.
team-role-not-client = must be a client role
team-contact-has-details = comes without `email` and `name`: the contact has them
team-email-name-required = and `name` are required unless `contact_id` names a contact
team-not-here = This e-mail address cannot be invited to your account; your contact at the agency can help.
team-member-active = { $name } already signs in to the portal.
team-member-deactivated = { $name } is deactivated; reactivate them under People with access.
team-agency-deactivated = The agency deactivated { $name }; ask your contact there to restore access.

## Users
user-role-unknown = is not a known role
user-client-required = is required for a client role
user-client-absent = must be absent for a staff role
user-email-taken = A user with that e-mail already exists.
user-role-same-kind = must be of the same kind (staff or client) as the user's current role
user-own-role = You cannot change your own role.
user-deactivate-self = You cannot deactivate yourself.
user-status-invalid = can only be set to `active` (reactivate) or `deactivated`

## Roles
role-staff-only-permissions = a client role cannot hold staff-only permissions: { $permissions }
role-client-roles-only = A client account's people can hold client roles only.
role-permissions-not-held = You cannot grant or take away permissions you do not hold: { $permissions }.
role-key-invalid = may hold only lower-case letters, digits and `_`
role-key-taken = A role with that key already exists.
role-builtin-fixed = Built-in roles cannot be renamed or given other permissions; create a custom role instead.
role-builtin-kept = Built-in roles cannot be deleted.
role-in-use = Users still hold this role; give them another role first.

## Client accounts
client-in-use = This client has users, API keys, projects or invoices; set it inactive instead.
client-unknown = is not a known client

## Contacts
contact-email-taken = This client already has a contact with that e-mail.

## Portal settings
settings-colour = must be a colour like #1f4e79
settings-url-https-or-http = must be an https:// (or, in development, http://) URL
settings-url-https = must be an https:// URL
settings-link-card-url = is required for a link card
settings-reminder-one-per-day = one stage per day
settings-reminder-stages-at-most = at most 10 stages
settings-reminder-days-range = between -90 and 365
settings-reminder-message-length = at most 500 characters
settings-feedback-days = up to 10 days, each between 1 and 365

## Money and locales
money-currency = must be an ISO 4217 currency code, e.g. EUR
money-locale = must be a locale such as en, en-GB, de-DE or fr-CH

## Notification preferences
notification-preferences-at-most = must have at most { $max } items, one per kind
notification-kind-unknown = `{ $kind }` is not one of: { $kinds }
notification-kind-twice = `{ $kind }` is listed twice

## Webhook endpoints
webhook-kind-unknown = `{ $kind }` is not one of: { $kinds }
webhook-note-client-scoped = a client-scoped endpoint cannot receive Note events

## Search
search-query-too-long = must be at most 200 characters
search-query-no-word = must contain a word
search-nothing-readable = your role may not read anything that can be searched

## Activity
activity-nothing-readable = your role may not read any activity

## Projects
project-end-before-start = must not be before start_date

## Tasks
task-status-filter-invalid = must be one or more of: todo, in_progress, done
task-assignee-not-staff = must be an active staff user
calendar-time-zone = not a time zone Portico knows (an IANA name such as Europe/Berlin)
calendar-no-days = at least one working day
calendar-time = a time as HH:MM (24:00 for midnight at the end)
calendar-ends-before-start = must be after the start of the working hours
calendar-holidays-at-most = at most { $max } holidays
settings-survey-weeks = between 1 and 52 weeks
calendar-days-once = each day at most once (seven at most)
