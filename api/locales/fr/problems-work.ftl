# Problem details: see problems.ftl.

## Files and reviews
file-folder-too-deep = ne peut pas dépasser 5 niveaux de dossiers
file-task-not-in-project = n’est pas une tâche de ce projet
review-client-decided-meanwhile = Le client vient de se prononcer sur cette version.
review-already-pending = Ce fichier attend déjà la décision du client.
review-version-already-approved = Cette version est déjà approuvée ; déposez une nouvelle version pour redemander une approbation.
review-comment-required = est requis pour demander des modifications : indiquez ce qui doit changer
review-nothing-pending = Aucune décision n’est attendue pour ce fichier.
review-version-not-open = C’est la version { $open } qui attend votre décision ; la version { $asked } n’est plus soumise à relecture.
review-someone-decided-meanwhile = Quelqu’un vient de se prononcer sur cette version.

## Invoices
invoice-quantity-not-positive = doit être un nombre positif
invoice-quantity-too-precise = ne peut pas avoir plus de trois décimales
invoice-quantity-too-large = est trop grande
invoice-due-before-issue = ne doit pas précéder issue_date
invoice-only-draft-changes = Seules les factures en brouillon peuvent être modifiées ; annulez celle-ci et créez un nouveau brouillon.
invoice-only-draft-sent = Seule une facture en brouillon peut être envoyée.
invoice-void-refused = Seule une facture en brouillon ou envoyée, sans paiement, peut être annulée.
invoice-payment-not-open = Les paiements ne peuvent être enregistrés que sur une facture envoyée qui n’est pas entièrement payée.
invoice-payment-over-balance = dépasse le solde dû ({ $balance })
invoice-changed-during-payment = La facture a changé pendant l’enregistrement de ce paiement ; rechargez-la et réessayez.
invoice-payment-already-recorded = Ce paiement est déjà enregistré.

## Paying online
payment-only-client-people = Seules les personnes du client paient ses factures en ligne.
payment-nothing-due = Il ne reste rien à payer sur cette facture.
payment-provider-refused = Le prestataire de paiement a refusé ce paiement ({ $message }) ; veuillez payer selon les instructions figurant sur la facture.
payment-provider-away = Le prestataire de paiement n’a pas pu lancer le paiement ; réessayez dans un instant.
payment-stripe-event-incomplete = Un événement Stripe a un `id` et un `type`.

## Statements and receivables
statement-to-too-early = est trop ancienne
statement-from-after-to = ne doit pas être postérieure à `to`
statement-receivables-staff-only = Les créances de l’agence sont réservées à son équipe.

## Comments
comment-attach-author-only = Seul l’auteur d’un commentaire peut y joindre des fichiers.
comment-attachments-full = un commentaire contient au plus { $max } fichiers
comment-edit-author-only = Seul l’auteur d’un commentaire peut en modifier le texte.
comment-delete-author-only = Seul l’auteur de ce commentaire peut le supprimer.

## Webhook targets
target-url-not-absolute = doit être une URL absolue
target-url-not-https-dev = doit être une URL https:// (http simple uniquement si PORTICO_WEBHOOK_ALLOW_HTTP est défini, pour le développement)
target-url-not-https = doit être une URL https://
target-url-credentials = ne doit pas contenir d’identifiants : vérifiez les livraisons grâce à leur signature
target-url-no-host = doit indiquer un hôte
target-url-not-public = doit être une adresse publique que le serveur peut joindre (ni boucle locale, ni réseau privé ou autre réseau interne)
metrics-period-backwards = doit précéder `to`
metrics-period-too-long = un rapport couvre au plus { $days } jours
survey-someone-elses = Ce lien d’enquête a été envoyé à quelqu’un d’autre : déconnectez-vous ou répondez aux enquêtes dans votre propre portail.
survey-answered = Cette enquête a déjà reçu une réponse.
survey-expired = ce lien d’enquête a expiré
metrics-period-range = un instant entre les années 1970 et 9999
