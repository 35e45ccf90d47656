"""The seed paper: "Brewing Knowledge in Context: Distillation Perspectives on In-Context
Learning" (arXiv 2506.11516), results R1–R16 with its notation, figures and the section on
all-MiniLM-L6-v2.
"""
from iclkd.paper import Paper

from . import model_checks
from .figures import FIGURES
from .model_section import MiniLMSection
from .notation import notation_of
from .results import RESULTS

_notation = notation_of(RESULTS)

PAPER = Paper(
    name="brewing",
    title="Brewing Knowledge in Context: Distillation Perspectives on In-Context Learning",
    results=RESULTS,
    notation=_notation.table,
    naming=_notation.naming,
    figures=FIGURES,
    sections=(MiniLMSection(),),
    reference="arXiv 2506.11516",
    model_check=model_checks,
)
