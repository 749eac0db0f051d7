# Problem details: see problems.ftl.

## A client account's own team
team-staff-have-no-team = Das Team gehört zu einem Kundenkonto; die Agentur verwaltet ihre Benutzer unter „Benutzer“.
team-role-not-client = muss eine Kundenrolle sein
team-contact-has-details = wird ohne `email` und `name` angegeben: Der Kontakt hat beides schon
team-email-name-required = und `name` sind erforderlich, sofern `contact_id` keinen Kontakt nennt
team-not-here = Diese E-Mail-Adresse kann nicht in Ihr Konto eingeladen werden; Ihre Ansprechperson bei der Agentur kann Ihnen helfen.
team-member-active = { $name } meldet sich bereits beim Portal an.
team-member-deactivated = { $name } ist deaktiviert; reaktivieren Sie die Person unter „Personen mit Zugang“.
team-agency-deactivated = Die Agentur hat { $name } deaktiviert; bitten Sie Ihre Ansprechperson dort, den Zugang wiederherzustellen.

## Users
user-role-unknown = ist keine bekannte Rolle
user-client-required = ist für eine Kundenrolle erforderlich
user-client-absent = muss bei einer Agenturrolle fehlen
user-email-taken = Es gibt bereits einen Benutzer mit dieser E-Mail-Adresse.
user-role-same-kind = muss von derselben Art (Agentur oder Kunde) sein wie die aktuelle Rolle des Benutzers
user-own-role = Sie können Ihre eigene Rolle nicht ändern.
user-deactivate-self = Sie können sich nicht selbst deaktivieren.
user-status-invalid = kann nur auf `active` (reaktivieren) oder `deactivated` gesetzt werden

## Roles
role-staff-only-permissions = eine Kundenrolle kann keine der Agentur vorbehaltenen Berechtigungen enthalten: { $permissions }
role-client-roles-only = Personen eines Kundenkontos können nur Kundenrollen haben.
role-permissions-not-held = Sie können keine Berechtigungen vergeben oder entziehen, die Sie selbst nicht haben: { $permissions }.
role-key-invalid = darf nur Kleinbuchstaben, Ziffern und `_` enthalten
role-key-taken = Es gibt bereits eine Rolle mit diesem Schlüssel.
role-builtin-fixed = Integrierte Rollen können weder umbenannt noch mit anderen Berechtigungen versehen werden; legen Sie stattdessen eine eigene Rolle an.
role-builtin-kept = Integrierte Rollen können nicht gelöscht werden.
role-in-use = Diese Rolle ist noch Benutzern zugewiesen; geben Sie ihnen zuerst eine andere Rolle.

## Client accounts
client-in-use = Dieser Kunde hat Benutzer, API-Schlüssel, Projekte oder Rechnungen; setzen Sie ihn stattdessen auf inaktiv.
client-unknown = ist kein bekannter Kunde

## Contacts
contact-email-taken = Dieser Kunde hat bereits einen Kontakt mit dieser E-Mail-Adresse.

## Portal settings
settings-colour = muss eine Farbe wie #1f4e79 sein
settings-url-https-or-http = muss eine https://-URL sein (in der Entwicklung auch http://)
settings-url-https = muss eine https://-URL sein
settings-link-card-url = ist für eine Link-Karte erforderlich
settings-reminder-one-per-day = eine Stufe pro Tag
settings-reminder-stages-at-most = höchstens 10 Stufen
settings-reminder-days-range = zwischen -90 und 365
settings-reminder-message-length = höchstens 500 Zeichen
settings-feedback-days = bis zu 10 Tage, jeder zwischen 1 und 365

## Money and locales
money-currency = muss ein Währungscode nach ISO 4217 sein, z. B. EUR
money-locale = muss ein Gebietsschema wie en, en-GB, de-DE oder fr-CH sein

## Notification preferences
notification-preferences-at-most = darf höchstens { $max } Einträge haben, einen pro Art
notification-kind-unknown = `{ $kind }` gehört nicht zu: { $kinds }
notification-kind-twice = `{ $kind }` ist doppelt aufgeführt

## Webhook endpoints
webhook-kind-unknown = `{ $kind }` gehört nicht zu: { $kinds }
webhook-note-client-scoped = ein auf ein Kundenkonto beschränkter Endpunkt kann keine Notiz-Ereignisse empfangen

## Search
search-query-too-long = darf höchstens 200 Zeichen lang sein
search-query-no-word = muss ein Wort enthalten
search-nothing-readable = Ihre Rolle darf nichts lesen, was sich durchsuchen lässt

## Activity
activity-nothing-readable = Ihre Rolle darf keine Aktivitäten lesen

## Projects
project-end-before-start = darf nicht vor start_date liegen

## Tasks
task-status-filter-invalid = muss einer oder mehrere der Werte todo, in_progress, done sein
task-assignee-not-staff = muss ein aktiver Benutzer der Agentur sein
calendar-time-zone = keine Zeitzone, die Portico kennt (ein IANA-Name wie Europe/Berlin)
calendar-no-days = mindestens ein Arbeitstag
calendar-time = eine Uhrzeit als HH:MM (24:00 für Mitternacht am Ende)
calendar-ends-before-start = muss nach dem Beginn der Arbeitszeit liegen
calendar-holidays-at-most = höchstens { $max } Feiertage
settings-survey-weeks = zwischen 1 und 52 Wochen
calendar-days-once = jeder Tag höchstens einmal (höchstens sieben)
