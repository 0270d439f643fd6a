"""`make lint`'s type check: mypy (with django-stubs) over the project, held to a baseline
that only shrinks.

`rules/`, `core/`, `config/` and every module not in the baseline must be clean. The modules
written before type checking came in are listed in pyproject.toml under
`[tool.antt.mypy-baseline]` with the number of errors each had. A listed module may have fewer
errors, never more; when it has fewer, this check fails and says which lower number to write
(and to drop the line at zero), so the list can only get shorter. `--lower` writes the lower
numbers into pyproject.toml itself (it never raises one).

Why not mypy's own `ignore_errors` per module: that hides new errors in a listed module
entirely, and nothing notices when a module becomes clean. Why not a line-by-line baseline
(the mypy-baseline package): error lines move with every edit; a count per module does not.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections import Counter
from pathlib import Path

from mypy import api

ROOT = Path(__file__).resolve().parent.parent
MUST_BE_CLEAN = ("rules", "core", "config")
ERROR = re.compile(r"^(?P<path>[\w/]+)\.py:\d+: error:")


def module_of(path: str) -> str:
    return path.removesuffix("/__init__").replace("/", ".")


def lower_baseline(counts: Counter[str], baseline: dict[str, int]) -> None:
    """Rewrite the `"module" = N` lines whose module now has fewer errors (none: no line)."""
    path = ROOT / "pyproject.toml"
    out = []
    for line in path.read_text().splitlines(keepends=True):
        m = re.match(r'^"(?P<name>[\w.]+)" = (?P<n>\d+)$', line.strip())
        if m and m["name"] in baseline and counts.get(m["name"], 0) < int(m["n"]):
            if counts.get(m["name"], 0) == 0:
                continue
            line = f'"{m["name"]}" = {counts[m["name"]]}\n'
        out.append(line)
    path.write_text("".join(out))


def main() -> int:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    baseline: dict[str, int] = config["tool"]["antt"]["mypy-baseline"]
    stdout, stderr, status = api.run([])
    if status not in (0, 1) or stderr:
        print(stdout + stderr, file=sys.stderr)
        return 2
    lines = stdout.splitlines()
    counts = Counter(module_of(m["path"]) for line in lines if (m := ERROR.match(line)))
    failures = []
    for name in sorted(baseline):
        if name.split(".")[0] in MUST_BE_CLEAN:
            failures.append(f"{name}: {MUST_BE_CLEAN} must stay clean; fix it, do not list it")
    for name in sorted(set(counts) | set(baseline)):
        found, allowed = counts.get(name, 0), baseline.get(name, 0)
        if found > allowed:
            failures.append(f"{name}: {found} errors, the baseline allows {allowed}")
            print("\n".join(line for line in lines if line.startswith(name.replace(".", "/"))))
        elif found < allowed:
            failures.append(
                f"{name}: {found} errors, fewer than the baseline's {allowed}: write "
                + (f'"{name}" = {found}' if found else "nothing (delete its line)")
                + " in pyproject.toml [tool.antt.mypy-baseline]"
            )
    total = sum(counts.values())
    if "--lower" in sys.argv:
        lower_baseline(counts, baseline)
        failures = [f for f in failures if "fewer than the baseline" not in f]
    if failures:
        print("\n".join(["mypy baseline:", *failures]), file=sys.stderr)
        return 1
    print(f"mypy: clean except {total} known errors in {len(baseline)} listed modules")
    return 0


if __name__ == "__main__":
    sys.exit(main())
