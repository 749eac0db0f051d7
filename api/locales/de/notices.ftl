reply-title = { $author } hat auf „{ $task }“ geantwortet
task-done-title = Erledigt: { $task }
task-done-body = Diese Aufgabe ist abgeschlossen.
invoice-sent-title = Neue Rechnung { $number }
invoice-sent-body = Rechnung { $number } über { $amount } ist am { $due } fällig.
review-requested-title = Bitte prüfen Sie „{ $file }“
review-requested-body = Ihre Freigabe wird erbeten.
review-requested-body-due = Ihre Freigabe wird bis zum { $due } erbeten.
review-requested-body-message = Ihre Freigabe wird erbeten: { $message }
review-requested-body-due-message = Ihre Freigabe wird bis zum { $due } erbeten: { $message }
review-approved-title = { $approver } hat „{ $file }“ freigegeben
review-approved-body = Freigegeben.
review-changes-title = { $approver } bittet um Änderungen an „{ $file }“
client-upload-title = { $uploader } hat „{ $file }“ hochgeladen
client-upload-body = Neu in den Dateien von { $project }.
team-change-title = { $client }: { $by } { $what }
team-change-body = Die Client Admins von { $client } verwalten ihr Team selbst; Sie können das auf der Seite des Kunden abschalten.
team-invited = hat { $name } ({ $email }) als { $role } eingeladen
team-role-changed = hat { $name } ({ $email }) die Rolle { $role } gegeben
team-deactivated = hat { $name } ({ $email }) deaktiviert
team-reactivated = hat { $name } ({ $email }) wieder aktiviert
team-resent = hat { $name } ({ $email }) eine neue Einladung geschickt
team-revoked = hat die Einladung von { $name } ({ $email }) zurückgezogen
team-both = { $first } und { $second }
invoice-due-title = { $days ->
    [one] Rechnung { $number } ist in { $days } Tag fällig
   *[other] Rechnung { $number } ist in { $days } Tagen fällig
}
invoice-due-body = Rechnung { $number } über { $amount } ist am { $due } fällig, in { $days } Tagen.
invoice-due-today-title = Rechnung { $number } ist heute fällig
invoice-due-today-body = Rechnung { $number } über { $amount } ist heute fällig.
invoice-overdue-title = { $days ->
    [one] Erinnerung: Rechnung { $number } ist seit { $days } Tag überfällig
   *[other] Erinnerung: Rechnung { $number } ist seit { $days } Tagen überfällig
}
invoice-overdue-body = Rechnung { $number } war am { $due } fällig (vor { $days } Tagen); { $amount } sind noch offen.
file-awaits-review = Erinnerung: „{ $file }“ wartet auf Ihre Prüfung
files-await-review = { $count ->
    [one] Erinnerung: { $count } Datei wartet auf Ihre Prüfung
   *[other] Erinnerung: { $count } Dateien warten auf Ihre Prüfung
}
review-overdue-line = „{ $file }“, fällig am { $due }
review-overdue-body = Überfällig: { $files }.
weekly-title = Ihre Woche
weekly-moved = { $moved ->
    [one] { $moved } Aufgabe hat sich diese Woche bewegt, { $done } davon nach Erledigt.
   *[other] { $moved } Aufgaben haben sich diese Woche bewegt, { $done } davon nach Erledigt.
}
weekly-due = In den nächsten 7 Tagen fällig: { $tasks }.
weekly-unpaid-line = { $number } ({ $amount } offen)
weekly-unpaid = Unbezahlte Rechnungen: { $invoices }.
payment-needs-look-title = Eine Stripe-Zahlung für Rechnung { $number } muss geprüft werden
payment-needs-look-body = Nicht verbucht: { $problem }. Prüfen Sie die Zahlung in Stripe und erstatten oder verbuchen Sie sie.
refund-needs-look-title = Eine Stripe-Erstattung für Rechnung { $number } muss geprüft werden
refund-needs-look-body = Nicht verbucht: { $problem }. Prüfen Sie die Erstattung in Stripe und verbuchen Sie sie von Hand.
paid-online-title = Rechnung { $number } wurde online bezahlt: { $amount }
paid-in-full = Vollständig bezahlt.
still-due = { $amount } sind noch offen.
survey-task-title = Wie zufrieden sind Sie mit „{ $task }“?
survey-project-title = Wie zufrieden sind Sie mit „{ $project }“?
survey-period-title = Wie läuft die Zusammenarbeit mit { $agency }?
survey-body = Sagen Sie es uns mit einem Klick: eine Bewertung von 1 (schlecht) bis 5 (hervorragend), gern mit einem Kommentar.
survey-low-title = { $person } ({ $client }) hat { $score } von 5 Punkten vergeben
survey-low-no-comment = Es wurde kein Kommentar hinterlassen.
inbound-refused-title = Eine Antwort per E-Mail wurde nicht veröffentlicht
inbound-unknown-sender = Ein unbekannter Absender
inbound-reason-too-large = Die Nachricht war größer, als das Antwortpostfach annimmt.
inbound-reason-unreadable = Die Nachricht konnte nicht gelesen werden.
inbound-reason-no-reply-address = Sie ging an keine Antwortadresse, die Portico vergeben hat.
inbound-reason-wrong-sender = Sie kam von einer anderen Adresse als der Person, der die Antwortadresse gesendet wurde.
inbound-reason-deactivated = Die Person, der sie gehört, ist nicht mehr aktiv.
inbound-reason-not-allowed = Die Person darf bei dieser Aufgabe nicht mehr antworten.
inbound-reason-empty = Ohne zitierten Text und Signatur blieb nichts übrig.
