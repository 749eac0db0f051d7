reply-title = { $author } a répondu sur « { $task } »
task-done-title = Terminé : { $task }
task-done-body = Cette tâche est terminée.
invoice-sent-title = Nouvelle facture { $number }
invoice-sent-body = La facture { $number } de { $amount } est à régler le { $due }.
review-requested-title = Merci de relire « { $file } »
review-requested-body = Votre approbation est demandée.
review-requested-body-due = Votre approbation est demandée d’ici le { $due }.
review-requested-body-message = Votre approbation est demandée : { $message }
review-requested-body-due-message = Votre approbation est demandée d’ici le { $due } : { $message }
review-approved-title = { $approver } a approuvé « { $file } »
review-approved-body = Approuvé.
review-changes-title = { $approver } demande des modifications à « { $file } »
client-upload-title = { $uploader } a déposé « { $file } »
client-upload-body = Nouveau dans les fichiers de { $project }.
team-change-title = { $client } : { $by } { $what }
team-change-body = Les Client Admins de { $client } gèrent eux-mêmes leur équipe ; vous pouvez désactiver cela sur la page du client.
team-invited = a invité { $name } ({ $email }) en tant que { $role }
team-role-changed = a donné à { $name } ({ $email }) le rôle { $role }
team-deactivated = a désactivé { $name } ({ $email })
team-reactivated = a réactivé { $name } ({ $email })
team-resent = a envoyé une nouvelle invitation à { $name } ({ $email })
team-revoked = a retiré l’invitation de { $name } ({ $email })
team-both = { $first } et { $second }
invoice-due-title = { $days ->
    [one] La facture { $number } est à régler dans { $days } jour
   *[other] La facture { $number } est à régler dans { $days } jours
}
invoice-due-body = La facture { $number } de { $amount } est à régler le { $due }, dans { $days } jours.
invoice-due-today-title = La facture { $number } est à régler aujourd’hui
invoice-due-today-body = La facture { $number } de { $amount } est à régler aujourd’hui.
invoice-overdue-title = { $days ->
    [one] Rappel : la facture { $number } est en retard de { $days } jour
   *[other] Rappel : la facture { $number } est en retard de { $days } jours
}
invoice-overdue-body = La facture { $number } était à régler le { $due } (il y a { $days } jours) ; { $amount } restent dus.
file-awaits-review = Rappel : « { $file } » attend votre relecture
files-await-review = { $count ->
    [one] Rappel : { $count } fichier attend votre relecture
   *[other] Rappel : { $count } fichiers attendent votre relecture
}
review-overdue-line = « { $file } », attendu le { $due }
review-overdue-body = Échéance dépassée : { $files }.
weekly-title = Votre semaine
weekly-moved = { $moved ->
    [one] { $moved } tâche a bougé cette semaine, dont { $done } vers Terminé.
   *[other] { $moved } tâches ont bougé cette semaine, dont { $done } vers Terminé.
}
weekly-due = À rendre dans les 7 prochains jours : { $tasks }.
weekly-unpaid-line = { $number } ({ $amount } dus)
weekly-unpaid = Factures impayées : { $invoices }.
payment-needs-look-title = Un paiement Stripe pour la facture { $number } est à vérifier
payment-needs-look-body = Non enregistré : { $problem }. Vérifiez le paiement dans Stripe, puis remboursez-le ou enregistrez-le.
refund-needs-look-title = Un remboursement Stripe pour la facture { $number } est à vérifier
refund-needs-look-body = Non enregistré : { $problem }. Vérifiez le remboursement dans Stripe et enregistrez-le à la main.
paid-online-title = La facture { $number } a été payée en ligne : { $amount }
paid-in-full = Payée intégralement.
still-due = { $amount } restent dus.
survey-task-title = Êtes-vous satisfait de « { $task } » ?
survey-project-title = Êtes-vous satisfait de « { $project } » ?
survey-period-title = Comment se passe votre collaboration avec { $agency } ?
survey-body = Dites-le-nous en un clic : une note de 1 (mauvais) à 5 (excellent), et un commentaire si vous le souhaitez.
survey-low-title = { $person } ({ $client }) a donné la note de { $score } sur 5
survey-low-no-comment = Aucun commentaire n’a été laissé.
inbound-refused-title = Une réponse par e-mail n’a pas été publiée
inbound-unknown-sender = Un expéditeur inconnu
inbound-reason-too-large = le message dépassait la taille acceptée par la boîte de réponse.
inbound-reason-unreadable = le message n’a pas pu être lu.
inbound-reason-no-reply-address = il n’a pas été envoyé à une adresse de réponse donnée par Portico.
inbound-reason-wrong-sender = il venait d’une autre adresse que celle de la personne à qui l’adresse de réponse avait été envoyée.
inbound-reason-deactivated = la personne concernée n’est plus active.
inbound-reason-not-allowed = la personne ne peut plus répondre sur cette tâche.
inbound-reason-empty = il ne restait rien une fois le texte cité et la signature retirés.
