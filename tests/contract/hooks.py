"""Schemathesis hooks for Portico's contract run (scripts/contract).

Two headers mean something only across requests, which a generator making one request at a
time cannot know: an Idempotency-Key names one request (reused with another body it is a 422,
as documented), and an If-Match names one representation (anything else is a 412, as
documented). Each generated request gets a key of its own, and writes on condition that the
resource exists.
"""
import uuid

import schemathesis


def _valid_key(value):
    """What the spec allows for an Idempotency-Key: 1 to 255 characters."""
    return isinstance(value, str) and 1 <= len(value) <= 255


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if not case.headers:
        return
    # Only a valid key is replaced: a case that breaks the schema on purpose stays broken.
    if _valid_key(case.headers.get("Idempotency-Key")):
        case.headers["Idempotency-Key"] = str(uuid.uuid4())
    if "If-Match" in case.headers:
        case.headers["If-Match"] = "*"
