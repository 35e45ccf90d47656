"""The paper's results, one module per topic, collected in order into ``RESULTS``."""
from . import unbiased

RESULTS = (*unbiased.RESULTS,)
