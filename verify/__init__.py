"""``./verify.sh <stack>``: whether a deployed stack's flow logs are active and delivering, and
whether the account still matches the stack.

Run as ``python -m verify``; see ``verify.__main__``.
"""
