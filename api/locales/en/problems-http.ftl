# Problem details: see problems.ftl. Requests, bodies, uploads, pages and sign-in tokens.

## Bodies and query strings
http-nul-character = must not contain the NUL character (U+0000)
body-malformed-json = Malformed JSON: { $why }
body-not-json = Send the body as `application/json`.
body-unreadable = The request body could not be read.

## Credentials
http-token-missing = Send an access token as `Authorization: Bearer <token>`.
http-token-refused = The access token was refused: { $why }.
http-view-as-read-only = You are viewing the portal as this user, which is read-only. Stop viewing as them to make changes.
http-api-key-unknown = The API key is unknown, revoked or expired.
http-download-credentials-missing = Send an access token as `Authorization: Bearer <token>`, or use a download link.
http-download-link-refused = The download link was refused: { $why }.
http-download-link-other-file = This download link is for another file or version.
http-session-cookie-needs-header = The session cookie is honoured only with `{ $header }: cookie` (cross-site request protection).
http-stream-ticket-invalid = The stream ticket is unknown, expired or used; ask for a new one.
http-metrics-token = Send the metrics token as a bearer token.

## Idempotency-Key
http-idempotency-key-invalid = `Idempotency-Key` must be 1 to 255 visible ASCII characters.
http-idempotency-key-reused = was sent in the last 24 hours with another request; use a new key for a new request
http-idempotency-under-way = A request with this Idempotency-Key is still being answered; retry in a moment.

## Pages
page-limit-range = must be between 1 and { $max }
page-sort-one-of = must be one of: { $sorts }
page-cursor-other-sort = This cursor belongs to another sort order; start again without a cursor.
page-cursor-foreign = is not a cursor this API issued
page-comments-limit-needs-include = only applies with include=comments

## Who may
http-staff-only = Only staff can see this.
http-review-by-agency = Reviews are requested by the agency.
http-approval-by-client = Deliverables are approved by the client's approvers, not the agency.
http-portal-settings-staff-only = The portal settings are the agency's; clients see them on /portal.

## Uploads
upload-not-multipart = Send the upload as `multipart/form-data` with the file in the field `file`.
upload-cut-off = The upload was cut off or is not valid multipart/form-data.
upload-field-too-long = must be at most { $max } bytes
upload-field-not-utf8 = A text field of the upload is not UTF-8.
upload-too-many-parts = an upload has at most { $max } parts
upload-one-file = one file per upload
upload-task-id-uuid = must be a UUID
upload-unknown-field = is not a field of an upload (file, folder, name, task_id)
upload-file-required = is required: the file's contents
upload-version-by-agency-or-uploader = Only the agency, or whoever uploaded it, adds versions of a file.
upload-version-only-file = a new version carries only `file`
upload-attachment-only-file = an attachment carries only `file` (and `name`)
upload-logo-not-multipart = Send the logo as `multipart/form-data` with the image in the field `file`.
upload-logo-one-field = a logo upload is one field, `file`
upload-logo-required = is required: the image
upload-logo-damaged = is a damaged image
upload-logo-not-image = must be a PNG or JPEG image of at most 4096 × 4096 pixels

## Stripe's webhook
http-stripe-signature-missing = Stripe-Signature: no Stripe-Signature header.
http-stripe-signature-malformed = Stripe-Signature: the Stripe-Signature header is malformed.
http-stripe-signature-stale = Stripe-Signature: the signature's timestamp is outside the tolerance.
http-stripe-signature-mismatch = Stripe-Signature: no signature matches.
http-not-stripe-event = The body is not a Stripe event.

# The on-demand TLS ask endpoint.
tls-ask-not-a-host = must be a host name, such as portal.agency.example
