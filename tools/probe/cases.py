"""Every probe case, by topic."""

from .cases_core import CORE_CASES
from .cases_lm import LM_CASES
from .cases_nndl import NNDL_CASES

CASES = CORE_CASES + NNDL_CASES + LM_CASES
