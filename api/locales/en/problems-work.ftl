# Problem details: see problems.ftl.

## Files and reviews
file-folder-too-deep = may be at most 5 folders deep
file-task-not-in-project = is not a task of this project
review-client-decided-meanwhile = The client decided on this version a moment ago.
review-already-pending = This file is already awaiting the client's decision.
review-version-already-approved = This version is already approved; upload a new version to ask again.
review-comment-required = is required when asking for changes: say what should change
review-nothing-pending = Nothing about this file awaits a decision.
review-version-not-open = Version { $open } is the one awaiting your decision; version { $asked } is no longer open for review.
review-someone-decided-meanwhile = Someone decided on this version a moment ago.

## Invoices
invoice-quantity-not-positive = must be a positive number
invoice-quantity-too-precise = may have at most three decimals
invoice-quantity-too-large = is too large
invoice-due-before-issue = must not be before issue_date
invoice-only-draft-changes = Only draft invoices can be changed; void it and draft a new one.
invoice-only-draft-sent = Only a draft invoice can be sent.
invoice-void-refused = Only a draft or sent invoice without payments can be voided.
invoice-payment-not-open = Payments can be recorded only on a sent invoice that is not fully paid.
invoice-payment-over-balance = is more than the balance due ({ $balance })
invoice-changed-during-payment = The invoice changed while recording this payment; reload and try again.
invoice-payment-already-recorded = This payment is already recorded.

## Paying online
payment-only-client-people = Only the client's own people pay their invoices online.
payment-nothing-due = This invoice has nothing left to pay.
payment-provider-refused = The payment provider refused this payment ({ $message }); please pay by the instructions on the invoice.
payment-provider-away = The payment provider could not start the payment; try again in a moment.
payment-stripe-event-incomplete = A Stripe event has an `id` and a `type`.

## Statements and receivables
statement-to-too-early = is too early
statement-from-after-to = must not be after `to`
statement-receivables-staff-only = The agency's receivables are for staff.

## Comments
comment-attach-author-only = Only the author attaches files to a comment.
comment-attachments-full = a comment holds at most { $max } files
comment-edit-author-only = Only the author can edit a comment's text.
comment-delete-author-only = Only the author can delete this comment.

## Webhook targets
target-url-not-absolute = must be an absolute URL
target-url-not-https-dev = must be an https:// URL (plain http only where PORTICO_WEBHOOK_ALLOW_HTTP is set, for development)
target-url-not-https = must be an https:// URL
target-url-credentials = must not carry credentials: verify deliveries by their signature
target-url-no-host = must name a host
target-url-not-public = must be a public address the server can reach (not loopback, a private network or another internal one)
metrics-period-backwards = must be before `to`
metrics-period-too-long = a report covers at most { $days } days
survey-someone-elses = This survey link was sent to someone else: sign out, or answer the surveys in your own portal.
survey-answered = This survey has already been answered.
survey-expired = this survey link has expired
metrics-period-range = a time between the years 1970 and 9999
