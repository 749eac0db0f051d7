# Problem details: see problems.ftl.

## Files and reviews
file-folder-too-deep = darf höchstens 5 Ordner tief sein
file-task-not-in-project = ist keine Aufgabe dieses Projekts
review-client-decided-meanwhile = Der Kunde hat soeben über diese Version entschieden.
review-already-pending = Diese Datei wartet bereits auf die Entscheidung des Kunden.
review-version-already-approved = Diese Version ist bereits freigegeben; laden Sie eine neue Version hoch, um erneut zu fragen.
review-comment-required = ist erforderlich, wenn Sie um Änderungen bitten: Schreiben Sie, was sich ändern soll
review-nothing-pending = Zu dieser Datei steht keine Entscheidung aus.
review-version-not-open = Version { $open } wartet auf Ihre Entscheidung; Version { $asked } steht nicht mehr zur Prüfung.
review-someone-decided-meanwhile = Jemand hat soeben über diese Version entschieden.

## Invoices
invoice-quantity-not-positive = muss eine positive Zahl sein
invoice-quantity-too-precise = darf höchstens drei Nachkommastellen haben
invoice-quantity-too-large = ist zu groß
invoice-due-before-issue = darf nicht vor issue_date liegen
invoice-only-draft-changes = Nur Rechnungsentwürfe können geändert werden; stornieren Sie die Rechnung und erstellen Sie einen neuen Entwurf.
invoice-only-draft-sent = Nur ein Rechnungsentwurf kann versendet werden.
invoice-void-refused = Nur ein Entwurf oder eine versendete Rechnung ohne Zahlungen kann storniert werden.
invoice-payment-not-open = Zahlungen können nur auf einer versendeten, nicht vollständig bezahlten Rechnung verbucht werden.
invoice-payment-over-balance = ist mehr als der offene Betrag ({ $balance })
invoice-changed-during-payment = Die Rechnung hat sich beim Verbuchen dieser Zahlung geändert; laden Sie sie neu und versuchen Sie es erneut.
invoice-payment-already-recorded = Diese Zahlung ist bereits verbucht.

## Paying online
payment-only-client-people = Nur die eigenen Leute des Kunden bezahlen seine Rechnungen online.
payment-nothing-due = Auf dieser Rechnung ist nichts mehr zu bezahlen.
payment-provider-refused = Der Zahlungsanbieter hat diese Zahlung abgelehnt ({ $message }); bitte zahlen Sie gemäß den Angaben auf der Rechnung.
payment-provider-away = Der Zahlungsanbieter konnte die Zahlung nicht starten; versuchen Sie es gleich noch einmal.
payment-stripe-event-incomplete = Ein Stripe-Ereignis hat eine `id` und einen `type`.

## Statements and receivables
statement-to-too-early = ist zu früh
statement-from-after-to = darf nicht nach `to` liegen
statement-receivables-staff-only = Die Forderungen der Agentur sind nur für ihre Mitarbeitenden.

## Comments
comment-attach-author-only = Nur wer einen Kommentar verfasst hat, kann Dateien daran anhängen.
comment-attachments-full = ein Kommentar fasst höchstens { $max } Dateien
comment-edit-author-only = Nur wer einen Kommentar verfasst hat, kann seinen Text bearbeiten.
comment-delete-author-only = Nur wer diesen Kommentar verfasst hat, kann ihn löschen.

## Webhook targets
target-url-not-absolute = muss eine absolute URL sein
target-url-not-https-dev = muss eine https://-URL sein (einfaches http nur, wo PORTICO_WEBHOOK_ALLOW_HTTP gesetzt ist, für die Entwicklung)
target-url-not-https = muss eine https://-URL sein
target-url-credentials = darf keine Zugangsdaten enthalten: Prüfen Sie Zustellungen anhand ihrer Signatur
target-url-no-host = muss einen Host nennen
target-url-not-public = muss eine öffentliche Adresse sein, die der Server erreichen kann (kein Loopback, kein privates oder anderes internes Netz)
metrics-period-backwards = muss vor `to` liegen
metrics-period-too-long = ein Bericht umfasst höchstens { $days } Tage
survey-someone-elses = Dieser Umfragelink wurde an jemand anderen gesendet: Melden Sie sich ab oder beantworten Sie die Umfragen in Ihrem eigenen Portal.
survey-answered = Diese Umfrage wurde bereits beantwortet.
survey-expired = dieser Umfragelink ist abgelaufen
metrics-period-range = ein Zeitpunkt zwischen den Jahren 1970 und 9999
