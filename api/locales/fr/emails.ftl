hello = Bonjour { $name },
button-fallback = Si le bouton ne fonctionne pas, copiez ce lien dans votre navigateur :

invitation-subject = { $agency } vous invite sur son portail client
invitation-heading = Bienvenue sur le portail de { $agency }
invitation-intro = { $agency } vous invite sur son portail client, où vous pouvez suivre vos projets, répondre aux questions sur les tâches et consulter vos factures.
invitation-choose-password = Choisissez un mot de passe pour commencer. Le lien ne fonctionne qu’une fois et expire le { $expires }.
invitation-next = Et ensuite : une fois votre mot de passe choisi, vous arrivez sur l’accueil de votre portail. Si le lien a expiré, demandez une nouvelle invitation à votre contact chez { $agency }.
invitation-button = Accepter l’invitation
invitation-link = Accepter l’invitation : { $link }

staff-invitation-subject = { $agency } vous invite à rejoindre son équipe
staff-invitation-heading = Rejoignez l’équipe de { $agency }
staff-invitation-intro = { $agency } vous a ajouté à son équipe en tant que { $role }.
staff-invitation-next = Si le lien a expiré, demandez une nouvelle invitation à un administrateur de { $agency }.

reset-subject = Réinitialisez votre mot de passe du portail { $agency }
reset-heading = Réinitialiser votre mot de passe
reset-intro = Quelqu’un a demandé à réinitialiser le mot de passe de votre compte sur le portail { $agency }. Si c’était vous, choisissez un nouveau mot de passe ; le lien ne fonctionne qu’une fois, pendant { $minutes } minutes.
reset-button = Choisir un nouveau mot de passe
reset-link = Réinitialiser votre mot de passe : { $link }
reset-footer = Si vous n’avez rien demandé, ignorez cet e-mail : votre mot de passe reste inchangé.

security-subject = { $agency } : { $what }
security-intro = { $what } sur votre compte du portail { $agency }.
security-footer = Si ce n’était pas vous, prévenez l’agence immédiatement et changez votre mot de passe.
security-button = Ouvrir votre profil
security-link = Vos paramètres de connexion : { $link }
security-two-factor-on = La connexion à deux facteurs a été activée
security-two-factor-off = La connexion à deux facteurs a été désactivée
security-two-factor-reset = La connexion à deux facteurs a été réinitialisée par un administrateur
security-recovery-codes = De nouveaux codes de secours ont été créés (les anciens ne fonctionnent plus)
security-recovery-used = Un code de secours a servi à se connecter

notification-subject = { $agency } : { $title }
notification-footer = Choisissez les e-mails que vous recevez dans le portail, sous Profil → Notifications.
notification-button = Ouvrir dans le portail
notification-link = Voir dans le portail : { $link }
notification-answer-by-email = Pour répondre, répondez simplement à cet e-mail : votre réponse est publiée sur la tâche pour l’équipe (écrivez au-dessus du texte cité).
