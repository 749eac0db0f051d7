# E-mails: greetings, invitations, resets, security notices, the layout around every message.
hello = Hello { $name },
button-fallback = If the button does not work, copy this link into your browser:

invitation-subject = { $agency } invited you to its client portal
invitation-heading = Welcome to { $agency }'s portal
invitation-intro = { $agency } has invited you to its client portal, where you can follow your projects, answer questions on tasks and see your invoices.
invitation-choose-password = Choose a password to get started. The link works once and expires on { $expires }.
invitation-next = What happens next: after you set your password you land on your portal home. If the link has expired, ask your contact at { $agency } for a new invitation.
invitation-button = Accept invitation
invitation-link = Accept the invitation: { $link }

staff-invitation-subject = { $agency } invited you to join its team
staff-invitation-heading = Join { $agency }'s team
staff-invitation-intro = { $agency } has added you to its team as { $role }.
staff-invitation-next = If the link has expired, ask an administrator at { $agency } to send a new invitation.

reset-subject = Reset your { $agency } portal password
reset-heading = Reset your password
reset-intro = Someone asked to reset the password of your { $agency } portal account. If it was you, choose a new password; the link works once, for { $minutes } minutes.
reset-button = Choose a new password
reset-link = Reset your password: { $link }
reset-footer = If you did not ask for this, ignore this e-mail: your password stays as it is.

security-subject = { $agency }: { $what }
security-intro = { $what } on your { $agency } portal account.
security-footer = If this was not you, tell the agency at once and change your password.
security-button = Open your profile
security-link = Your sign-in settings: { $link }
security-two-factor-on = Two-factor sign-in was turned on
security-two-factor-off = Two-factor sign-in was turned off
security-two-factor-reset = Two-factor sign-in was reset by an administrator
security-recovery-codes = New two-factor recovery codes were made (the old ones no longer work)
security-recovery-used = A recovery code was used to sign in

notification-subject = { $agency }: { $title }
notification-footer = You can choose which e-mails you receive under Profile → Notifications in the portal.
notification-button = Open in the portal
notification-link = See it in the portal: { $link }
notification-answer-by-email = To answer, reply to this e-mail: your answer is posted on the task for the team (keep your reply above the quoted text).
