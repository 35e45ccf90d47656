"""iclkd: state, prove, cross-check and render the results of an ML theory paper."""
__version__ = "0.1.0"
