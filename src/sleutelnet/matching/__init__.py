"""The matching engine: pure Python, no Django. Plain dataclasses in, ranked candidates out.

The contract (JSON instance in, plan out) is in docs/matching/; `types` mirrors it.
"""
