"""FAVOR+ attention: linear in the sequence length (P6, symbolic sizes) and its causal
prefix-sum form (P7, explicit sizes)."""
from __future__ import annotations

import sympy as sp
from sympy import BlockMatrix, HadamardProduct, MatrixSymbol, OneMatrix

from iclkd import Algebra, Claim, Definition, Result, Step, Substitute
from iclkd.numeric import gaussian, uniform

from .notation import K_f, L, Q_f, V, d_v, ones_L, r
from .unbiased import REFERENCE

QUADRATIC = sp.Inverse(sp.DiagMatrix(Q_f * K_f.T * ones_L)) * Q_f * K_f.T * V
LINEAR = sp.Inverse(sp.DiagMatrix(sp.MatMul(Q_f, sp.MatMul(K_f.T, ones_L)))) * sp.MatMul(Q_f, sp.MatMul(K_f.T, V))

P6 = Result(
    id="P6", label="FAVOR+", title="FAVOR+ attention is linear in the sequence length",
    claims=(Claim("", QUADRATIC, LINEAR, proof=(Step(LINEAR, Algebra("associativity")),),
                  text="diag(Q'K'ᵀ1_L)⁻¹ Q'K'ᵀV = diag(Q'(K'ᵀ1_L))⁻¹ (Q'(K'ᵀV))"),),
    sizes={L: (1, 2, 3, 4), r: (1, 2, 3), d_v: (1, 2)},
    samplers={Q_f: uniform(0.1, 1.0), K_f: uniform(0.1, 1.0), V: gaussian(1.0)},
    notes="Positive features make Q'K'ᵀ1_L positive, so the diagonal is invertible. The left side costs "
          "O(L²r + L²d_v), the right O(Lrd_v): benchmarks/performer_favor.py measures both.",
    references=(f"{REFERENCE}, FAVOR+ (bidirectional)",),
)

CAUSAL_LENGTH = 4
q = [MatrixSymbol(f"q_{i}", r, 1) for i in range(1, CAUSAL_LENGTH + 1)]
k = [MatrixSymbol(f"k_{i}", r, 1) for i in range(1, CAUSAL_LENGTH + 1)]
v = [MatrixSymbol(f"v_{i}", d_v, 1) for i in range(1, CAUSAL_LENGTH + 1)]
S = [MatrixSymbol(f"S_{i}", r, d_v) for i in range(1, CAUSAL_LENGTH + 1)]
z = [MatrixSymbol(f"z_{i}", r, 1) for i in range(1, CAUSAL_LENGTH + 1)]
Q_rows = BlockMatrix([[qi.T] for qi in q])
K_rows = BlockMatrix([[ki.T] for ki in k])
V_rows = BlockMatrix([[vi.T] for vi in v])
MASK = sp.ImmutableMatrix(CAUSAL_LENGTH, CAUSAL_LENGTH, lambda i, j: 1 if j <= i else 0)
MASKED = HadamardProduct(MASK, Q_rows * K_rows.T)
ONES = OneMatrix(CAUSAL_LENGTH, 1)


def _prefix(terms, i):
    return sp.MatAdd(*terms[:i + 1]) if i else terms[0]


KV = [k[j] * v[j].T for j in range(CAUSAL_LENGTH)]
DEFINITIONS = (*(Definition(S[i], _prefix(KV, i), f"prefix sum of φ(k_j) v_jᵀ over j ≤ {i + 1}")
                 for i in range(CAUSAL_LENGTH)),
               *(Definition(z[i], _prefix(k, i), f"prefix sum of φ(k_j) over j ≤ {i + 1}")
                 for i in range(CAUSAL_LENGTH)))

P7 = Result(
    id="P7", label="Causal FAVOR+", title="Causal FAVOR+ is a prefix sum",
    claims=(
        Claim("(a)", MASKED * V_rows, BlockMatrix([[q[i].T * S[i]] for i in range(CAUSAL_LENGTH)]), proof=(
            Step(BlockMatrix([[q[i].T * _prefix(KV, i)] for i in range(CAUSAL_LENGTH)]),
                 Algebra("row i of the masked product")),
            Step(BlockMatrix([[q[i].T * S[i]] for i in range(CAUSAL_LENGTH)]), Substitute(tuple(S))),
        ), text="row i of (T ∘ Q'K'ᵀ)V is φ(q_i)ᵀ S_i"),
        Claim("(b)", MASKED * ONES, BlockMatrix([[q[i].T * z[i]] for i in range(CAUSAL_LENGTH)]), proof=(
            Step(BlockMatrix([[q[i].T * _prefix(k, i)] for i in range(CAUSAL_LENGTH)]),
                 Algebra("row i of the masked product")),
            Step(BlockMatrix([[q[i].T * z[i]] for i in range(CAUSAL_LENGTH)]), Substitute(tuple(z))),
        ), text="row i of (T ∘ Q'K'ᵀ)1_L is φ(q_i)ᵀ z_i"),
    ),
    definitions=DEFINITIONS, sizes={r: (1, 2, 3, 4, 5), d_v: (1, 2, 3, 4, 5)},
    samplers={**{s: uniform(0.1, 1.0) for s in (*q, *k)}, **{s: gaussian(1.0) for s in v}},
    notes=f"At the explicit length L = {CAUSAL_LENGTH}; S_i = S_(i−1) + φ(k_i) v_iᵀ is computed in one pass.",
    references=(f"{REFERENCE}, FAVOR+ (unidirectional)",),
)

RESULTS = (P6, P7)
