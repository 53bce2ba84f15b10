"""The four statuses of a verdict and the Failure a judge raises."""

from ..i18n import _

PASSED, FAILED, ERROR, NOT_IMPLEMENTED = "passed", "failed", "error", "not_implemented"


class Failure(Exception):
    """Raised by a judge: what is wrong, and one sentence saying what to change."""

    def __init__(self, message, hint, status=FAILED):
        super().__init__(message)
        # a hint may be a constant marked with N_: it is translated here, when raised
        hint = _(hint) if isinstance(hint, str) and hint else hint
        self.message, self.hint, self.status = message, hint, status
