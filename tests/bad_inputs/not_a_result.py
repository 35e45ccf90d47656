# A module with no results.
VALUE = 3
