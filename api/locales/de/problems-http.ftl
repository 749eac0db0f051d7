# Problem details: see problems.ftl. Requests, bodies, uploads, pages and sign-in tokens.

## Bodies and query strings
http-nul-character = darf das NUL-Zeichen (U+0000) nicht enthalten
body-malformed-json = Fehlerhaftes JSON: { $why }
body-not-json = Senden Sie den Anfragetext als `application/json`.
body-unreadable = Der Anfragetext konnte nicht gelesen werden.

## Credentials
http-token-missing = Senden Sie ein Zugriffstoken als `Authorization: Bearer <token>`.
http-token-refused = Das Zugriffstoken wurde abgelehnt: { $why }.
http-view-as-read-only = Sie sehen das Portal als diese Person; diese Ansicht ist schreibgeschützt. Beenden Sie die Ansicht, um Änderungen vorzunehmen.
http-api-key-unknown = Der API-Schlüssel ist unbekannt, widerrufen oder abgelaufen.
http-download-credentials-missing = Senden Sie ein Zugriffstoken als `Authorization: Bearer <token>` oder verwenden Sie einen Download-Link.
http-download-link-refused = Der Download-Link wurde abgelehnt: { $why }.
http-download-link-other-file = Dieser Download-Link gilt für eine andere Datei oder Version.
http-session-cookie-needs-header = Das Sitzungs-Cookie wird nur mit `{ $header }: cookie` angenommen (Schutz vor websiteübergreifenden Anfragen).
http-stream-ticket-invalid = Das Stream-Ticket ist unbekannt, abgelaufen oder schon verwendet; fordern Sie ein neues an.
http-metrics-token = Senden Sie das Metrik-Token als Bearer-Token.

## Idempotency-Key
http-idempotency-key-invalid = `Idempotency-Key` muss aus 1 bis 255 sichtbaren ASCII-Zeichen bestehen.
http-idempotency-key-reused = wurde in den letzten 24 Stunden mit einer anderen Anfrage gesendet; verwenden Sie für eine neue Anfrage einen neuen Schlüssel
http-idempotency-under-way = Eine Anfrage mit diesem Idempotency-Key wird noch beantwortet; versuchen Sie es gleich noch einmal.

## Pages
page-limit-range = muss zwischen 1 und { $max } liegen
page-sort-one-of = muss einer dieser Werte sein: { $sorts }
page-cursor-other-sort = Dieser Cursor gehört zu einer anderen Sortierung; beginnen Sie erneut ohne Cursor.
page-cursor-foreign = ist kein Cursor, den diese API ausgegeben hat
page-comments-limit-needs-include = gilt nur mit include=comments

## Who may
http-staff-only = Nur die Agentur kann das sehen.
http-review-by-agency = Freigaben werden von der Agentur angefragt.
http-approval-by-client = Ergebnisse geben die Freigabeberechtigten des Kunden frei, nicht die Agentur.
http-portal-settings-staff-only = Die Portal-Einstellungen sind Sache der Agentur; Kunden sehen sie unter /portal.

## Uploads
upload-not-multipart = Senden Sie den Upload als `multipart/form-data` mit der Datei im Feld `file`.
upload-cut-off = Der Upload wurde abgebrochen oder ist kein gültiges multipart/form-data.
upload-field-too-long = darf höchstens { $max } Bytes lang sein
upload-field-not-utf8 = Ein Textfeld des Uploads ist nicht in UTF-8.
upload-too-many-parts = ein Upload hat höchstens { $max } Teile
upload-one-file = eine Datei pro Upload
upload-task-id-uuid = muss eine UUID sein
upload-unknown-field = ist kein Feld eines Uploads (file, folder, name, task_id)
upload-file-required = ist erforderlich: der Inhalt der Datei
upload-version-by-agency-or-uploader = Neue Versionen einer Datei fügt nur die Agentur hinzu oder wer sie hochgeladen hat.
upload-version-only-file = eine neue Version enthält nur `file`
upload-attachment-only-file = ein Anhang enthält nur `file` (und `name`)
upload-logo-not-multipart = Senden Sie das Logo als `multipart/form-data` mit dem Bild im Feld `file`.
upload-logo-one-field = ein Logo-Upload besteht aus einem einzigen Feld, `file`
upload-logo-required = ist erforderlich: das Bild
upload-logo-damaged = ist ein beschädigtes Bild
upload-logo-not-image = muss ein PNG- oder JPEG-Bild von höchstens 4096 × 4096 Pixeln sein

## Stripe's webhook
http-stripe-signature-missing = Stripe-Signature: Der Stripe-Signature-Header fehlt.
http-stripe-signature-malformed = Stripe-Signature: Der Stripe-Signature-Header ist fehlerhaft.
http-stripe-signature-stale = Stripe-Signature: Der Zeitstempel der Signatur liegt außerhalb der Toleranz.
http-stripe-signature-mismatch = Stripe-Signature: Keine Signatur stimmt überein.
http-not-stripe-event = Der Anfragetext ist kein Stripe-Ereignis.

# The on-demand TLS ask endpoint.
tls-ask-not-a-host = muss ein Hostname sein, etwa portal.agency.example
