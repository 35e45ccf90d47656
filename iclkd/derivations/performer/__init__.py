"""The second paper: "Rethinking Attention with Performers" (Choromanski et al., ICLR 2021),
results P1–P8: random features for the softmax kernel and FAVOR+ attention."""
from iclkd.paper import Paper

from .notation import NOTATION
from .orthogonal import K_hyp, K_plus, K_trig, MSE_iid, MSE_ort, share
from .results import RESULTS

ORTHOGONAL_NOTATION = {
    K_plus: r"K^{+}_{\mathrm{ort}}", K_hyp: r"K^{\mathrm{hyp}}_{\mathrm{ort}}",
    K_trig: r"K^{\mathrm{trig}}_{\mathrm{ort}}", MSE_ort: r"\mathrm{MSE}_{\mathrm{ort}}",
    MSE_iid: r"\mathrm{MSE}_{\mathrm{iid}}", share: r"\mathrm{share}",
}

PAPER = Paper(
    name="performer",
    title="Rethinking Attention with Performers",
    results=RESULTS,
    notation={**NOTATION, **ORTHOGONAL_NOTATION},
    requires=("brewing",),
    reference="Choromanski et al., ICLR 2021",
)
