"""The paper's results, one module per topic, collected in order into ``RESULTS``."""
from . import attention, distillation, kernel

RESULTS = (*kernel.RESULTS, *attention.RESULTS, *distillation.RESULTS)
