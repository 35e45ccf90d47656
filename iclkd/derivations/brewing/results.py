"""The paper's results, one module per topic, collected in order into ``RESULTS``."""
from . import (attention, distillation, generalisation, kernel, learning_rate, mmd, prior_work,
                rademacher_bound, score_scale)

RESULTS = (*kernel.RESULTS, *attention.RESULTS, *distillation.RESULTS, *mmd.RESULTS,
           *generalisation.RESULTS, *rademacher_bound.RESULTS, *learning_rate.RESULTS, *prior_work.RESULTS,
           *score_scale.RESULTS)
