"""Numbers of the model report as TeX: measured values, powers of ten, slopes, percentages."""
from __future__ import annotations

import math

from iclkd.render.templating import TeX

OVERFLOW = TeX(r"\textit{overflow}")
NOT_AVAILABLE = TeX(r"\textit{n/a}")


def number(x) -> TeX:
    """A measured number: 2 significant digits, plain in ``[0.01, 1000)``, else ``a×10^b``;
    ``None`` (a float64 overflow in the report) and NaN print as explicit markers.

    >>> number(0.2617), number(600.3), number(3.0e-4), number(None), number(float('nan'))
    ('$0.26$', '$600$', '$3.0\\\\times 10^{-4}$', '\\\\textit{overflow}', '\\\\textit{n/a}')
    """
    if x is None:
        return OVERFLOW
    x = float(x)
    if math.isnan(x):
        return NOT_AVAILABLE
    if math.isinf(x):
        return OVERFLOW if x > 0 else TeX(r"$-\infty$")
    if x == 0:
        return TeX("$0$")
    exponent = math.floor(math.log10(abs(x)))
    if -2 <= exponent < 3:
        return TeX(f"${x:.{max(0, 1 - exponent)}f}$")
    mantissa, exp = f"{x:.1e}".split("e")
    return TeX(f"${mantissa}\\times 10^{{{int(exp)}}}$")


def power_of_ten(log10, overflow=OVERFLOW, missing=NOT_AVAILABLE) -> TeX:
    """``10^{41.3}`` from a base-10 logarithm (variance constants overflow float64 as numbers);
    ``overflow`` and ``missing`` are the markers for +inf and for None/NaN.

    >>> power_of_ten(41.26), power_of_ten(float('-inf')), power_of_ten(None), power_of_ten(float('inf'))
    ('$10^{41.3}$', '$0$', '\\\\textit{n/a}', '\\\\textit{overflow}')
    """
    if log10 is None or math.isnan(log10):
        return missing
    if math.isinf(log10):
        return overflow if log10 > 0 else TeX("$0$")
    return TeX(f"$10^{{{log10:.1f}}}$")


def slope(value, se=None) -> TeX:
    """A fitted slope with its standard error.

    >>> slope(-0.5149, 0.0087), slope(float('nan'), 0.1), slope(-0.001, float('nan'))
    ('$-0.51 \\\\pm 0.01$', '\\\\textit{n/a}', '$0.00$')
    """
    if value is None or math.isnan(value):
        return NOT_AVAILABLE
    text = f"{value:.2f}".replace("-0.00", "0.00")
    if se is None or not math.isfinite(se):
        return TeX(f"${text}$")
    return TeX(f"${text} \\pm {se:.2f}$")


def percent(x) -> TeX:
    """A share as a percentage, 2 significant digits.

    >>> percent(0.0177), percent(2.6e-12)
    ('$1.8$\\\\%', '$2.6\\\\times 10^{-10}$\\\\%')
    """
    return TeX(number(100 * x) + r"\%") if x is not None and math.isfinite(x) else NOT_AVAILABLE


def finite(x) -> bool:
    """A number the report could give: not None (a float64 overflow), not NaN or inf.

    >>> finite(1.0), finite(None), finite(float('inf'))
    (True, False, False)
    """
    return x is not None and math.isfinite(x)
