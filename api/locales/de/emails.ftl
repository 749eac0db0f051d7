hello = Hallo { $name },
button-fallback = Falls die Schaltfläche nicht funktioniert, kopieren Sie diesen Link in Ihren Browser:

invitation-subject = { $agency } hat Sie in sein Kundenportal eingeladen
invitation-heading = Willkommen im Portal von { $agency }
invitation-intro = { $agency } hat Sie in sein Kundenportal eingeladen. Dort verfolgen Sie Ihre Projekte, beantworten Fragen zu Aufgaben und sehen Ihre Rechnungen.
invitation-choose-password = Wählen Sie ein Passwort, um zu beginnen. Der Link funktioniert einmal und läuft am { $expires } ab.
invitation-next = Wie es weitergeht: Sobald Sie Ihr Passwort festgelegt haben, landen Sie auf der Startseite Ihres Portals. Ist der Link abgelaufen, bitten Sie Ihren Ansprechpartner bei { $agency } um eine neue Einladung.
invitation-button = Einladung annehmen
invitation-link = Einladung annehmen: { $link }

staff-invitation-subject = { $agency } lädt Sie in sein Team ein
staff-invitation-heading = Willkommen im Team von { $agency }
staff-invitation-intro = { $agency } hat Sie als { $role } in sein Team aufgenommen.
staff-invitation-next = Ist der Link abgelaufen, bitten Sie eine Administratorin oder einen Administrator bei { $agency } um eine neue Einladung.

reset-subject = Passwort für das Portal von { $agency } zurücksetzen
reset-heading = Passwort zurücksetzen
reset-intro = Jemand hat darum gebeten, das Passwort Ihres Kontos im Portal von { $agency } zurückzusetzen. Wenn Sie das waren, wählen Sie ein neues Passwort; der Link funktioniert einmal, { $minutes } Minuten lang.
reset-button = Neues Passwort wählen
reset-link = Passwort zurücksetzen: { $link }
reset-footer = Wenn Sie das nicht angefordert haben, ignorieren Sie diese E-Mail: Ihr Passwort bleibt, wie es ist.

security-subject = { $agency }: { $what }
security-intro = { $what } – in Ihrem Konto im Portal von { $agency }.
security-footer = Wenn Sie das nicht waren, informieren Sie sofort die Agentur und ändern Sie Ihr Passwort.
security-button = Profil öffnen
security-link = Ihre Anmeldeeinstellungen: { $link }
security-two-factor-on = Die Zwei-Faktor-Anmeldung wurde eingeschaltet
security-two-factor-off = Die Zwei-Faktor-Anmeldung wurde ausgeschaltet
security-two-factor-reset = Die Zwei-Faktor-Anmeldung wurde von einem Administrator zurückgesetzt
security-recovery-codes = Neue Wiederherstellungscodes wurden erstellt (die alten gelten nicht mehr)
security-recovery-used = Zur Anmeldung wurde ein Wiederherstellungscode verwendet

notification-subject = { $agency }: { $title }
notification-footer = Welche E-Mails Sie erhalten, wählen Sie im Portal unter Profil → Benachrichtigungen.
notification-button = Im Portal öffnen
notification-link = Im Portal ansehen: { $link }
notification-answer-by-email = Um zu antworten, antworten Sie einfach auf diese E-Mail: Ihre Antwort erscheint bei der Aufgabe für das Team (schreiben Sie über dem zitierten Text).
