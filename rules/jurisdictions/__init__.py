"""One module per provincial resolution (or pair of resolutions adopted together).

Each module states, in its docstring, the resolution(s), dates and articles it implements, and
exposes:

- ``JURISDICTION`` (old two-digit province code), ``TITLE``, ``EFFECTIVE_FROM``;
- ``PARAMETER_KEYS``: every parameter it may read, so an administrator can see what to enter;
- ``member_quota(area, params, on) -> QuotaResult``;
- ``monthly_support(member, params, month) -> AmountResult``.

Figures live in ``fixtures/rules/<module>.toml``, never in the module.
"""
