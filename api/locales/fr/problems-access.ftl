# Problem details: see problems.ftl.

## Signing in, refreshing, View as (sessions.rs)
signin-credentials-wrong = L’adresse e-mail ou le mot de passe est incorrect.
signin-refresh-refused = Le jeton de rafraîchissement est invalide, expiré ou déjà utilisé ; reconnectez-vous.
signin-two-factor-wrong = Le code à deux facteurs est erroné, ou a déjà été utilisé.
signin-view-as-client-only = la « Vue en tant que » n’est possible que pour les utilisateurs clients
signin-view-as-not-active = cet utilisateur n’a pas activé son accès au portail
signin-view-as-none = Ceci n’est pas une session « Vue en tant que » : il n’y a rien à arrêter.

## Passwords (passwords.rs, auth/password.rs)
password-reset-link-invalid = Ce lien de réinitialisation n’est plus valide : il a expiré ou a déjà été utilisé. Demandez-en un nouveau.
password-not-current = n’est pas votre mot de passe actuel
password-current-required = est requis pour définir un nouveau mot de passe
password-too-short = doit compter au moins 8 caractères
password-too-long = doit compter au plus 128 caractères
password-common = fait partie des mots de passe les plus courants ; choisissez-en un autre

## Invitations (invitations.rs)
invitation-link-invalid = Ce lien d’invitation n’est plus valide : il a expiré, a déjà été utilisé ou a été remplacé par un plus récent. Demandez une nouvelle invitation à votre contact à l’agence.
invitation-email-elsewhere = Cette adresse e-mail appartient à un utilisateur d’un autre compte ou à un membre de l’agence.
invitation-contact-has-access = Ce contact a déjà accès au portail.
invitation-contact-deactivated = L’utilisateur du portail de ce contact est désactivé ; réactivez-le dans « Utilisateurs ».
invitation-email-taken = Un utilisateur avec cette adresse e-mail existe déjà.
invitation-role-not-client = doit être un rôle client
invitation-user-active = Cet utilisateur se connecte déjà avec son propre mot de passe.
invitation-user-deactivated = Cet utilisateur est désactivé ; réactivez-le d’abord.
invitation-user-none-pending = Cet utilisateur n’a aucune invitation en attente.
invitation-contact-none-pending = Ce contact n’a aucune invitation en attente.

## Two-factor sign-in (two_factor.rs)
two-factor-code-wrong = n’est ni un code actuel de votre application d’authentification, ni un code de récupération inutilisé
two-factor-already-on-setup = La connexion à deux facteurs est déjà activée ; désactivez-la d’abord pour utiliser une nouvelle application.
two-factor-turned-on-meanwhile = La connexion à deux facteurs a été activée entre-temps.
two-factor-already-on = La connexion à deux facteurs est déjà activée.
two-factor-no-setup = Aucune configuration n’est en cours, ou elle a expiré ; recommencez.
two-factor-setup-code-wrong = n’est pas le code qu’affiche l’application d’authentification en ce moment
two-factor-setup-changed = La configuration a changé pendant la vérification de ce code (une autre confirmation ou une nouvelle configuration) ; rechargez et recommencez.
two-factor-not-on-codes = La connexion à deux facteurs n’est pas activée ; configurez-la d’abord.
two-factor-not-on = La connexion à deux facteurs n’est pas activée.
two-factor-role-requires = Votre rôle exige la connexion à deux facteurs : elle ne peut pas être désactivée.
two-factor-reset-own = C’est à vous de modifier votre propre connexion à deux facteurs, dans votre profil ; un autre administrateur peut la réinitialiser.

## Signed-in devices (devices.rs)
device-sign-in-too-old = La connexion de cette page est trop ancienne pour savoir quel appareil est celui-ci ; rechargez la page et réessayez.

## API keys (api_keys.rs)
key-permission-never = on ne peut pas accorder `{ $permission }` à une clé d’API
key-permission-not-held = vous ne détenez pas `{ $permission }`, vous ne pouvez donc pas l’accorder
key-permission-beyond-client-admin = `{ $permission }` dépasse ce que détient l’administrateur client du compte ; une clé rattachée à celui-ci ne peut pas l’avoir
key-name-blank = ne doit pas être vide
key-expiry-past = doit être dans le futur

## Who is calling (auth/actor.rs, auth/jwt.rs)
actor-key-cannot-manage-api-keys = Une clé d’API ne peut pas gérer les clés d’API ; connectez-vous en tant que personne pour le faire.
actor-key-cannot-change-profile = Une clé d’API ne peut pas modifier le profil ou le mot de passe d’une personne ; connectez-vous en tant que personne pour le faire.
actor-key-cannot-see-devices = Une clé d’API ne peut ni voir ni déconnecter les appareils connectés d’une personne ; connectez-vous en tant que personne pour le faire.
actor-key-cannot-pay-online = Une clé d’API ne peut pas payer une facture en ligne ; connectez-vous en tant que personne pour le faire.
actor-own-by-key-devices = Les appareils connectés d’une personne n’appartiennent qu’à elle : connectez-vous en tant que cette personne pour les voir ou les modifier, pas avec une clé d’API.
actor-own-by-key-second-factor = Les paramètres de second facteur d’une personne n’appartiennent qu’à elle : connectez-vous en tant que cette personne pour les voir ou les modifier, pas avec une clé d’API.
actor-own-view-as-devices = Les appareils connectés d’un utilisateur n’appartiennent qu’à lui, même en « Vue en tant que ».
actor-own-view-as-second-factor = Les paramètres de second facteur d’un utilisateur n’appartiennent qu’à lui, même en « Vue en tant que ».
actor-account-inactive = Ce compte n’est pas actif.
actor-view-as-ended = Cette session « Vue en tant que » est terminée ; relancez-la.
actor-session-ended = Cette session est terminée ; reconnectez-vous.
actor-key-invalid = Cette clé d’API n’est plus valide.
actor-key-of-grant-invalid = La clé d’API avec laquelle ceci a été créé n’est plus valide.
# Why an access token or a download link was refused: follows "… was refused: ".
actor-token-invalid = jeton invalide ou expiré
actor-token-algorithm = algorithme inattendu
actor-token-not-access = pas un jeton d’accès
actor-token-key-reference = référence de clé inattendue dans l’en-tête
actor-link-invalid = lien invalide ou expiré
actor-link-not-download = pas un lien de téléchargement
