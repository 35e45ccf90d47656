# A module with a syntax error.
RESULTS = [
