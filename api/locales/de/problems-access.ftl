# Problem details: see problems.ftl.

## Signing in, refreshing, View as (sessions.rs)
signin-credentials-wrong = E-Mail-Adresse oder Passwort ist falsch.
signin-refresh-refused = Das Aktualisierungstoken ist ungültig, abgelaufen oder wurde bereits verwendet; melden Sie sich erneut an.
signin-two-factor-wrong = Der Zwei-Faktor-Code ist falsch oder wurde bereits verwendet.
signin-view-as-client-only = „Ansicht als“ ist nur für Kundenbenutzer möglich
signin-view-as-not-active = dieser Benutzer hat seinen Portalzugang noch nicht aktiviert
signin-view-as-none = Dies ist keine „Ansicht als“-Sitzung: Es gibt nichts zu beenden.

## Passwords (passwords.rs, auth/password.rs)
password-reset-link-invalid = Dieser Link zum Zurücksetzen ist nicht mehr gültig: Er ist abgelaufen oder wurde bereits verwendet. Fordern Sie einen neuen an.
password-not-current = ist nicht Ihr aktuelles Passwort
password-current-required = wird benötigt, um ein neues Passwort festzulegen
password-too-short = muss mindestens 8 Zeichen lang sein
password-too-long = darf höchstens 128 Zeichen lang sein
password-common = gehört zu den häufigsten Passwörtern; wählen Sie ein anderes

## Invitations (invitations.rs)
invitation-link-invalid = Dieser Einladungslink ist nicht mehr gültig: Er ist abgelaufen, wurde bereits verwendet oder durch einen neueren ersetzt. Bitten Sie Ihre Ansprechperson bei der Agentur um eine neue Einladung.
invitation-email-elsewhere = Diese E-Mail-Adresse gehört einem Benutzer eines anderen Kontos oder einer Person aus der Agentur.
invitation-contact-has-access = Dieser Kontakt hat bereits Zugang zum Portal.
invitation-contact-deactivated = Der Portalbenutzer dieses Kontakts ist deaktiviert; reaktivieren Sie ihn unter „Benutzer“.
invitation-email-taken = Es gibt bereits einen Benutzer mit dieser E-Mail-Adresse.
invitation-role-not-client = muss eine Kundenrolle sein
invitation-user-active = Dieser Benutzer meldet sich bereits mit seinem eigenen Passwort an.
invitation-user-deactivated = Dieser Benutzer ist deaktiviert; reaktivieren Sie ihn zuerst.
invitation-user-none-pending = Für diesen Benutzer steht keine Einladung aus.
invitation-contact-none-pending = Für diesen Kontakt steht keine Einladung aus.

## Two-factor sign-in (two_factor.rs)
two-factor-code-wrong = ist weder ein aktueller Code Ihrer Authenticator-App noch ein unbenutzter Wiederherstellungscode
two-factor-already-on-setup = Die Zwei-Faktor-Anmeldung ist bereits eingeschaltet; schalten Sie sie zuerst aus, um eine neue App zu verwenden.
two-factor-turned-on-meanwhile = Die Zwei-Faktor-Anmeldung wurde inzwischen eingeschaltet.
two-factor-already-on = Die Zwei-Faktor-Anmeldung ist bereits eingeschaltet.
two-factor-no-setup = Es läuft keine Einrichtung, oder sie ist abgelaufen; beginnen Sie von vorn.
two-factor-setup-code-wrong = ist nicht der Code, den die Authenticator-App gerade anzeigt
two-factor-setup-changed = Die Einrichtung hat sich geändert, während dieser Code geprüft wurde (eine andere Bestätigung oder eine neue Einrichtung); laden Sie neu und beginnen Sie von vorn.
two-factor-not-on-codes = Die Zwei-Faktor-Anmeldung ist nicht eingeschaltet; richten Sie sie zuerst ein.
two-factor-not-on = Die Zwei-Faktor-Anmeldung ist nicht eingeschaltet.
two-factor-role-requires = Ihre Rolle verlangt die Zwei-Faktor-Anmeldung: Sie kann nicht ausgeschaltet werden.
two-factor-reset-own = Ihre eigene Zwei-Faktor-Anmeldung ändern Sie selbst, in Ihrem Profil; ein anderer Administrator kann sie zurücksetzen.

## Signed-in devices (devices.rs)
device-sign-in-too-old = Die Anmeldung dieser Seite ist zu alt, um zu erkennen, welches Gerät dieses ist; laden Sie die Seite neu und versuchen Sie es erneut.

## API keys (api_keys.rs)
key-permission-never = `{ $permission }` kann keinem API-Schlüssel erteilt werden
key-permission-not-held = Sie besitzen `{ $permission }` nicht selbst und können diese Berechtigung daher nicht erteilen
key-permission-beyond-client-admin = `{ $permission }` geht über die Berechtigungen des Kunden-Admins dieses Kontos hinaus; ein an dessen Rolle gebundener Schlüssel kann sie daher nicht haben
key-name-blank = darf nicht leer sein
key-expiry-past = muss in der Zukunft liegen

## Who is calling (auth/actor.rs, auth/jwt.rs)
actor-key-cannot-manage-api-keys = Mit einem API-Schlüssel lassen sich keine API-Schlüssel verwalten; melden Sie sich dazu als Person an.
actor-key-cannot-change-profile = Mit einem API-Schlüssel lassen sich Profil und Passwort einer Person nicht ändern; melden Sie sich dazu als Person an.
actor-key-cannot-see-devices = Mit einem API-Schlüssel lassen sich die angemeldeten Geräte einer Person weder ansehen noch abmelden; melden Sie sich dazu als Person an.
actor-key-cannot-pay-online = Mit einem API-Schlüssel lässt sich keine Rechnung online bezahlen; melden Sie sich dazu als Person an.
actor-own-by-key-devices = Die angemeldeten Geräte einer Person gehören ihr allein: Melden Sie sich als diese Person an, um sie anzusehen oder zu ändern, nicht mit einem API-Schlüssel.
actor-own-by-key-second-factor = Die Einstellungen zum zweiten Faktor einer Person gehören ihr allein: Melden Sie sich als diese Person an, um sie anzusehen oder zu ändern, nicht mit einem API-Schlüssel.
actor-own-view-as-devices = Die angemeldeten Geräte eines Benutzers gehören ihm allein, auch in der „Ansicht als“.
actor-own-view-as-second-factor = Die Einstellungen zum zweiten Faktor eines Benutzers gehören ihm allein, auch in der „Ansicht als“.
actor-account-inactive = Dieses Konto ist nicht aktiv.
actor-view-as-ended = Diese „Ansicht als“-Sitzung ist beendet; starten Sie sie erneut.
actor-session-ended = Diese Sitzung ist beendet; melden Sie sich erneut an.
actor-key-invalid = Dieser API-Schlüssel ist nicht mehr gültig.
actor-key-of-grant-invalid = Der API-Schlüssel, mit dem dies erstellt wurde, ist nicht mehr gültig.
# Why an access token or a download link was refused: follows "… was refused: ".
actor-token-invalid = ungültiges oder abgelaufenes Token
actor-token-algorithm = unerwarteter Algorithmus
actor-token-not-access = kein Zugriffstoken
actor-token-key-reference = unerwarteter Schlüsselverweis im Header
actor-link-invalid = ungültiger oder abgelaufener Link
actor-link-not-download = kein Download-Link
