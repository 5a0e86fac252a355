"""The analyses, one module per verb and named as the verb (`openness diff` → `diff.py`).

They live in a subpackage so that a verb's module never shadows the function of the same
name on the package's face (`openness_xl.diff`, the pandas API)."""
