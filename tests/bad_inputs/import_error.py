# A module that raises when imported.
import iclkd_no_such_module  # noqa: F401
