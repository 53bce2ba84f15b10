"""Independent student-style implementations for testing the course's self-checks.

``correct.CORRECT`` maps each exercise function name to a list of correct variants;
``mistakes.MISTAKES`` lists ``(function_name, cause_id, fn)`` with exactly one bug each.
See README.md in this folder.
"""
