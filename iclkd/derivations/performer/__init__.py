"""The second paper: "Rethinking Attention with Performers" (Choromanski et al., ICLR 2021),
results P1–P8: random features for the softmax kernel and FAVOR+ attention."""
from iclkd.paper import Paper

from .notation import NOTATION
from .results import RESULTS

PAPER = Paper(
    name="performer",
    title="Rethinking Attention with Performers",
    results=RESULTS,
    notation=NOTATION,
    requires=("brewing",),
    reference="Choromanski et al., ICLR 2021",
)
