"""``./verify.sh <stack>``: whether every VPC the stack selects is covered, whether its flow logs
are active and delivering, and whether the account still matches the stack.

Run as ``python -m verify``; see ``verify.__main__``.
"""
