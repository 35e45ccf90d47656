"""The paper's results, one module per topic, collected in order into ``RESULTS``."""
from . import favor, mse, orthogonal, unbiased

RESULTS = (*unbiased.RESULTS, *mse.RESULTS, *favor.RESULTS, *orthogonal.RESULTS)
