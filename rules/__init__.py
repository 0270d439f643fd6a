"""The law as code: dated, cited parameters and one module per provincial resolution.

Depends on nothing of the apps: rule functions take plain values and return result dataclasses.
"""
