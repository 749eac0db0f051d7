# Problem details: see problems.ftl.

## A client account's own team
team-staff-have-no-team = L’équipe appartient à un compte client ; l’agence gère ses utilisateurs sous « Utilisateurs ».
team-role-not-client = doit être un rôle client
team-contact-has-details = s’envoie sans `email` ni `name` : le contact les a déjà
team-email-name-required = et `name` sont requis, sauf si `contact_id` désigne un contact
team-not-here = Cette adresse e-mail ne peut pas être invitée dans votre compte ; votre contact à l’agence peut vous aider.
team-member-active = { $name } se connecte déjà au portail.
team-member-deactivated = Le compte de { $name } est désactivé ; réactivez-le sous « Personnes ayant accès ».
team-agency-deactivated = L’agence a désactivé le compte de { $name } ; demandez à votre contact là-bas de rétablir l’accès.

## Users
user-role-unknown = n’est pas un rôle connu
user-client-required = est requis pour un rôle client
user-client-absent = doit être absent pour un rôle de l’agence
user-email-taken = Un utilisateur avec cette adresse e-mail existe déjà.
user-role-same-kind = doit être du même type (agence ou client) que le rôle actuel de l’utilisateur
user-own-role = Vous ne pouvez pas modifier votre propre rôle.
user-deactivate-self = Vous ne pouvez pas vous désactiver vous-même.
user-status-invalid = ne peut valoir que `active` (réactiver) ou `deactivated`

## Roles
role-staff-only-permissions = un rôle client ne peut pas détenir de permissions réservées à l’agence : { $permissions }
role-client-roles-only = Les personnes d’un compte client ne peuvent avoir que des rôles client.
role-permissions-not-held = Vous ne pouvez ni accorder ni retirer des permissions que vous ne détenez pas : { $permissions }.
role-key-invalid = ne peut contenir que des lettres minuscules, des chiffres et `_`
role-key-taken = Un rôle avec cette clé existe déjà.
role-builtin-fixed = Les rôles intégrés ne peuvent être ni renommés ni dotés d’autres permissions ; créez plutôt un rôle personnalisé.
role-builtin-kept = Les rôles intégrés ne peuvent pas être supprimés.
role-in-use = Des utilisateurs ont encore ce rôle ; attribuez-leur d’abord un autre rôle.

## Client accounts
client-in-use = Ce client a des utilisateurs, des clés d’API, des projets ou des factures ; rendez-le plutôt inactif.
client-unknown = n’est pas un client connu

## Contacts
contact-email-taken = Ce client a déjà un contact avec cette adresse e-mail.

## Portal settings
settings-colour = doit être une couleur comme #1f4e79
settings-url-https-or-http = doit être une URL https:// (ou, en développement, http://)
settings-url-https = doit être une URL https://
settings-link-card-url = est requise pour une carte de type lien
settings-reminder-one-per-day = une étape par jour
settings-reminder-stages-at-most = 10 étapes au plus
settings-reminder-days-range = entre -90 et 365
settings-reminder-message-length = 500 caractères au plus
settings-feedback-days = jusqu’à 10 jours, chacun entre 1 et 365

## Money and locales
money-currency = doit être un code de devise ISO 4217, par exemple EUR
money-locale = doit être un paramètre régional tel que en, en-GB, de-DE ou fr-CH

## Notification preferences
notification-preferences-at-most = doit compter au plus { $max } éléments, un par type
notification-kind-unknown = `{ $kind }` ne fait pas partie de : { $kinds }
notification-kind-twice = `{ $kind }` figure deux fois

## Webhook endpoints
webhook-kind-unknown = `{ $kind }` ne fait pas partie de : { $kinds }
webhook-note-client-scoped = un point de terminaison limité à un compte client ne peut pas recevoir les événements de note

## Search
search-query-too-long = doit compter au plus 200 caractères
search-query-no-word = doit contenir un mot
search-nothing-readable = votre rôle ne permet de lire aucun des contenus que couvre la recherche

## Activity
activity-nothing-readable = votre rôle ne permet de lire aucune activité

## Projects
project-end-before-start = ne doit pas précéder start_date

## Tasks
task-status-filter-invalid = doit être une ou plusieurs des valeurs : todo, in_progress, done
task-assignee-not-staff = doit être un utilisateur actif de l’agence
calendar-time-zone = pas un fuseau horaire connu de Portico (un nom IANA comme Europe/Berlin)
calendar-no-days = au moins un jour ouvré
calendar-time = une heure au format HH:MM (24:00 pour minuit en fin de journée)
calendar-ends-before-start = doit être après le début des heures ouvrées
calendar-holidays-at-most = au plus { $max } jours fériés
settings-survey-weeks = entre 1 et 52 semaines
calendar-days-once = chaque jour au plus une fois (sept au plus)
