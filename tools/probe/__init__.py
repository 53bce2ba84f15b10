"""Probe every public function of ``bptt`` with a fixed list of bad inputs and count the outcomes.

Usage::

    PYTHONPATH=<repo> python -m tools.probe_bad_input [-v] [--only NAME]

For each public name (``bptt.__all__`` without the explorer and the two
constants) a valid call is built from small seeded arrays; then every
argument is replaced, one at a time, by each bad value of its kind (a list,
a complex / bool / object / integer array, an axis too many or too few, an
axis one too long, an empty axis, NaN, inf, a wrong scalar, a missing key …).
A few extra probes edit returned arrays, inputs or parameters in place after
a forward pass and check that the backward's gradients do not move.

Each outcome is one of

* ``clear``   — ValueError/TypeError whose message names the argument and is
  not a NumPy-internal message;
* ``ok``      — a result that is right: equal to the float64 reference for an
  input that may be converted (integer arrays, Fortran order), visibly NaN/inf
  for a NaN/inf input, an empty result for an empty axis, unchanged gradients;
* ``cryptic`` — any other exception (IndexError, AttributeError, KeyError, a
  NumPy message such as "operands could not be broadcast", an error that does
  not name the argument);
* ``silent``  — a result without an error where an error was due, a warning
  (e.g. ComplexWarning), or a result that differs from the reference.

The probe list is fixed (no randomness), so counts before and after a change
are comparable.  Runs against whichever ``bptt`` is first on the path.
"""
