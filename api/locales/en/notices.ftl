# Notifications, in the portal and by e-mail: a title and a short body each.
reply-title = { $author } replied on “{ $task }”
task-done-title = Done: { $task }
task-done-body = This task has been completed.
invoice-sent-title = New invoice { $number }
invoice-sent-body = Invoice { $number } for { $amount } is due on { $due }.
review-requested-title = Please review “{ $file }”
review-requested-body = Your approval is requested.
review-requested-body-due = Your approval is requested by { $due }.
review-requested-body-message = Your approval is requested: { $message }
review-requested-body-due-message = Your approval is requested by { $due }: { $message }
review-approved-title = { $approver } approved “{ $file }”
review-approved-body = Approved.
review-changes-title = { $approver } asked for changes to “{ $file }”
client-upload-title = { $uploader } uploaded “{ $file }”
client-upload-body = New in the files of { $project }.
team-change-title = { $client }: { $by } { $what }
team-change-body = { $client }'s Client Admins run their own team; you can turn that off on the client's page.
team-invited = invited { $name } ({ $email }) as { $role }
team-role-changed = made { $name } ({ $email }) { $role }
team-deactivated = deactivated { $name } ({ $email })
team-reactivated = reactivated { $name } ({ $email })
team-resent = sent { $name } ({ $email }) a new invitation
team-revoked = revoked the invitation of { $name } ({ $email })
team-both = { $first } and { $second }
invoice-due-title = { $days ->
    [one] Invoice { $number } is due in { $days } day
   *[other] Invoice { $number } is due in { $days } days
}
invoice-due-body = Invoice { $number } for { $amount } is due on { $due }, in { $days } days.
invoice-due-today-title = Invoice { $number } is due today
invoice-due-today-body = Invoice { $number } for { $amount } is due today.
invoice-overdue-title = { $days ->
    [one] Reminder: invoice { $number } is { $days } day overdue
   *[other] Reminder: invoice { $number } is { $days } days overdue
}
invoice-overdue-body = Invoice { $number } was due on { $due } ({ $days } days ago); { $amount } is still open.
file-awaits-review = Reminder: “{ $file }” awaits your review
files-await-review = { $count ->
    [one] Reminder: { $count } file awaits your review
   *[other] Reminder: { $count } files await your review
}
review-overdue-line = “{ $file }”, due { $due }
review-overdue-body = Past their due date: { $files }.
weekly-title = Your week
weekly-moved = { $moved ->
    [one] { $moved } task moved this week, { $done } of them to Done.
   *[other] { $moved } tasks moved this week, { $done } of them to Done.
}
weekly-due = Due in the next 7 days: { $tasks }.
weekly-unpaid-line = { $number } ({ $amount } open)
weekly-unpaid = Unpaid invoices: { $invoices }.
payment-needs-look-title = A Stripe payment for invoice { $number } needs a look
payment-needs-look-body = Not recorded: { $problem }. Check the payment in Stripe and refund or record it.
refund-needs-look-title = A Stripe refund for invoice { $number } needs a look
refund-needs-look-body = Not recorded: { $problem }. Check the refund in Stripe and record it by hand.
paid-online-title = Invoice { $number } was paid online: { $amount }
paid-in-full = Paid in full.
still-due = { $amount } is still due.
survey-task-title = How did we do on “{ $task }”?
survey-project-title = How did we do on “{ $project }”?
survey-period-title = How is working with { $agency } going?
survey-body = Tell us in one click: a score from 1 (poor) to 5 (excellent), and a comment if you like.
survey-low-title = { $person } ({ $client }) gave a score of { $score } out of 5
survey-low-no-comment = No comment was left.
inbound-refused-title = An e-mailed answer was not posted
inbound-unknown-sender = An unknown sender
inbound-reason-too-large = the message was larger than the reply mailbox accepts.
inbound-reason-unreadable = the message could not be read.
inbound-reason-no-reply-address = it was not sent to a reply address Portico gave out.
inbound-reason-wrong-sender = it came from another address than the person the reply address was sent to.
inbound-reason-deactivated = the person it belongs to is no longer active.
inbound-reason-not-allowed = the person may no longer reply on that task.
inbound-reason-empty = nothing was left once the quoted text and signature were removed.
