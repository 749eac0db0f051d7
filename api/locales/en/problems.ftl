# Problem details (RFC 9457) of the API: titles, generic details, field messages.
title-bad-request = Bad request
title-unauthorized = Authentication required
title-forbidden = Not allowed
title-two-factor-required = Two-factor code required
title-two-factor-enrolment = Two-factor sign-in required
title-not-found = Not found
title-method-not-allowed = Method not allowed
title-conflict = Conflict
title-validation-failed = Validation failed
title-precondition-failed = Precondition failed
title-payload-too-large = Payload too large
title-too-many-requests = Too many requests
title-range-not-satisfiable = Range not satisfiable
title-unavailable = Service unavailable
title-internal = Internal server error
problem-missing-permission = your role does not include the `{ $perm }` permission
problem-database-away = The database cannot be reached right now; try again in { $seconds } seconds.
problem-range = The requested range is outside the { $size } bytes of this file.
problem-not-found = The resource does not exist or is not visible to you.
problem-method-not-allowed = This path answers only { $allow }.
problem-two-factor-required = This account signs in with a second factor: send the 6-digit code from the authenticator app, or one of the recovery codes, as `code`.
problem-two-factor-enrolment = Your role requires two-factor sign-in: set it up first (`POST /api/v1/me/two-factor/setup`, then `/confirm`); nothing else can be done until then.
problem-validation-failed = One or more fields are invalid; see `errors`.
problem-precondition-failed = It has changed since you read it (`If-Match` names none of its current tags): read it again, and make your change to what it is now.
problem-payload-too-large = The request body is larger than this server accepts.
problem-too-many-requests = Too many attempts; try again in { $seconds } seconds.
problem-internal = Something went wrong on our side; it has been logged.
problem-file-store-away = The file store cannot be reached right now; try again shortly.
problem-query-invalid = Invalid query string.
problem-query-invalid-because = Invalid query string: { $why }
problem-path-id = Invalid identifier in the path: ids are UUIDs.
problem-path-invalid = Invalid path.
field-items-between = must have between { $min } and { $max } items
field-items-at-least = { $min ->
    [one] must have at least { $min } item
   *[other] must have at least { $min } items
}
field-items-at-most = must have at most { $max } items
field-items-invalid = has an invalid number of items
field-length-between = must be between { $min } and { $max } characters
field-length-at-least = must be at least { $min } characters
field-length-at-most = must be at most { $max } characters
field-length-invalid = has an invalid length
field-email = must be an e-mail address
field-url = must be a URL
field-range = is out of range
field-invalid = is invalid ({ $code })
