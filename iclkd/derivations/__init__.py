"""Papers written on iclkd, one package each; the engine imports none of them.

Each package exposes a :class:`~iclkd.paper.Paper` named in the ``iclkd.papers`` entry points.
"""
