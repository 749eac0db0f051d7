# What each webhook event tells (GET /webhook-event-types).
webhook-event-task-created = A task was added to a project.
webhook-event-task-updated = A task changed: its status, title, assignee, due date or priority.
webhook-event-task-deleted = A task was deleted.
webhook-event-comment-created = A Reply the client can read was posted (or released after its undo window).
webhook-event-comment-updated = A Reply was edited.
webhook-event-comment-deleted = A Reply was deleted or made a Note.
webhook-event-project-updated = A project was created or changed.
webhook-event-invoice-sent = An invoice was sent to the client.
webhook-event-invoice-paid = An invoice was paid in full.
webhook-event-invoice-updated = An invoice changed otherwise: a payment, a void, an edit.
webhook-event-note-changed = A Note changed (ids only; never to an endpoint held to a client account).
webhook-event-file-created = A file was added to a project.
webhook-event-file-version-added = A new version of a file was uploaded.
webhook-event-file-deleted = A file was deleted.
webhook-event-review-requested = A client was asked to review a file.
webhook-event-review-decided = A client approved a file or asked for changes.
webhook-event-review-cancelled = A review request was withdrawn.
