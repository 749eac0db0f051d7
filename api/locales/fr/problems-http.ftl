# Problem details: see problems.ftl. Requests, bodies, uploads, pages and sign-in tokens.

## Bodies and query strings
http-nul-character = ne doit pas contenir le caractère NUL (U+0000)
body-malformed-json = JSON mal formé : { $why }
body-not-json = Envoyez le corps de la requête en `application/json`.
body-unreadable = Le corps de la requête n’a pas pu être lu.

## Credentials
http-token-missing = Envoyez un jeton d’accès sous la forme `Authorization: Bearer <token>`.
http-token-refused = Le jeton d’accès a été refusé : { $why }.
http-view-as-read-only = Vous consultez le portail en tant que cet utilisateur, en lecture seule. Quittez cette vue pour apporter des modifications.
http-api-key-unknown = La clé d’API est inconnue, révoquée ou expirée.
http-download-credentials-missing = Envoyez un jeton d’accès sous la forme `Authorization: Bearer <token>`, ou utilisez un lien de téléchargement.
http-download-link-refused = Le lien de téléchargement a été refusé : { $why }.
http-download-link-other-file = Ce lien de téléchargement est destiné à un autre fichier ou à une autre version.
http-session-cookie-needs-header = Le cookie de session n’est accepté qu’avec `{ $header }: cookie` (protection contre les requêtes intersites).
http-stream-ticket-invalid = Le ticket de flux est inconnu, expiré ou déjà utilisé ; demandez-en un nouveau.
http-metrics-token = Envoyez le jeton de métriques comme jeton Bearer.

## Idempotency-Key
http-idempotency-key-invalid = `Idempotency-Key` doit compter de 1 à 255 caractères ASCII visibles.
http-idempotency-key-reused = a été envoyée au cours des dernières 24 heures avec une autre requête ; utilisez une nouvelle clé pour une nouvelle requête
http-idempotency-under-way = Une requête avec cette Idempotency-Key est encore en cours de traitement ; réessayez dans un instant.

## Pages
page-limit-range = doit être compris entre 1 et { $max }
page-sort-one-of = doit être l’une des valeurs suivantes : { $sorts }
page-cursor-other-sort = Ce curseur appartient à un autre ordre de tri ; recommencez sans curseur.
page-cursor-foreign = n’est pas un curseur émis par cette API
page-comments-limit-needs-include = ne s’applique qu’avec include=comments

## Who may
http-staff-only = Seule l’agence peut voir ceci.
http-review-by-agency = Les approbations sont demandées par l’agence.
http-approval-by-client = Les livrables sont approuvés par les approbateurs du client, pas par l’agence.
http-portal-settings-staff-only = Les paramètres du portail relèvent de l’agence ; les clients les voient sur /portal.

## Uploads
upload-not-multipart = Envoyez le fichier en `multipart/form-data`, avec le fichier dans le champ `file`.
upload-cut-off = L’envoi a été interrompu ou n’est pas un multipart/form-data valide.
upload-field-too-long = doit faire au plus { $max } octets
upload-field-not-utf8 = Un champ texte de l’envoi n’est pas en UTF-8.
upload-too-many-parts = un envoi compte au plus { $max } parties
upload-one-file = un seul fichier par envoi
upload-task-id-uuid = doit être un UUID
upload-unknown-field = n’est pas un champ d’un envoi (file, folder, name, task_id)
upload-file-required = est obligatoire : le contenu du fichier
upload-version-by-agency-or-uploader = Seule l’agence, ou la personne qui l’a envoyé, ajoute des versions d’un fichier.
upload-version-only-file = une nouvelle version ne contient que `file`
upload-attachment-only-file = une pièce jointe ne contient que `file` (et `name`)
upload-logo-not-multipart = Envoyez le logo en `multipart/form-data`, avec l’image dans le champ `file`.
upload-logo-one-field = l’envoi d’un logo ne comporte qu’un champ, `file`
upload-logo-required = est obligatoire : l’image
upload-logo-damaged = est une image endommagée
upload-logo-not-image = doit être une image PNG ou JPEG d’au plus 4096 × 4096 pixels

## Stripe's webhook
http-stripe-signature-missing = Stripe-Signature : aucun en-tête Stripe-Signature.
http-stripe-signature-malformed = Stripe-Signature : l’en-tête Stripe-Signature est mal formé.
http-stripe-signature-stale = Stripe-Signature : l’horodatage de la signature sort de la tolérance.
http-stripe-signature-mismatch = Stripe-Signature : aucune signature ne correspond.
http-not-stripe-event = Le corps de la requête n’est pas un événement Stripe.

# The on-demand TLS ask endpoint.
tls-ask-not-a-host = doit être un nom d’hôte, par exemple portal.agency.example
