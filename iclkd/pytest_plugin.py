"""The pytest plugin: every claim of a results module is a test item.

Installed with iclkd (entry point ``pytest11``); it does nothing until a results module is
named, in ``pyproject.toml``::

    [tool.iclkd]
    results = ["paper/results.py"]   # paths relative to the pyproject.toml
    requires = ["brewing"]           # installed papers the results may depend on (optional)
    seed = 0                         # optional: iclkd check's --seed, --trials, --timeout
    allow = ["unproved"]             # optional: statuses that xfail instead of failing

or on the command line (``pytest --iclkd paper/results.py``). Each result is a node and each
claim an item, ``paper/results.py::R7::(b)`` (``::statement`` for an unnamed claim), followed
by ``::numeric[NAME]`` for each numeric check and ``::depends_on`` for its dependencies, so
``-k``, ``-x``, ``--lf``, ``--junitxml``, ``-n`` and markers work as for any test. A failure
shows the failing step, its rule, both sides, SymPy's answer, the shrunk counterexample and
its replay token; nothing of iclkd needs to be imported by the user.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ALLOWABLE = ("unproved", "timeout")


def pytest_addoption(parser):
    group = parser.getgroup("iclkd", "checking iclkd results")
    group.addoption("--iclkd", action="append", default=[], metavar="FILE",
                    help="a results module whose claims become test items (repeatable; adds to "
                         "[tool.iclkd] results in pyproject.toml)")
    group.addoption("--iclkd-seed", type=int, default=None, help="iclkd's random seed (default: 0)")
    group.addoption("--iclkd-trials", type=int, default=None, help="random instances per claim (default: 4)")
    group.addoption("--iclkd-allow", default=None, metavar="STATUS[,STATUS]",
                    help=f"statuses that xfail instead of failing ({', '.join(ALLOWABLE)})")


class IclkdConfig:
    """The plugin's settings: ``[tool.iclkd]`` of the project, overridden by the options."""

    def __init__(self, config):
        table, base = _project_table(config)
        self.results = [(base / p).resolve() for p in table.get("results", [])]
        self.results += [Path(p).resolve() for p in config.getoption("iclkd")]
        self.requires = tuple(table.get("requires", ()))
        allow = config.getoption("iclkd_allow")
        self.allow = tuple(a.strip() for a in allow.split(",")) if allow is not None else tuple(table.get("allow", ()))
        for name in self.allow:
            if name not in ALLOWABLE:
                raise pytest.UsageError(f"iclkd: {name!r} cannot be allowed (one of: {', '.join(ALLOWABLE)})")
        seed, trials = config.getoption("iclkd_seed"), config.getoption("iclkd_trials")
        self.settings = dict(seed=table.get("seed", 0) if seed is None else seed,
                             trials=table.get("trials", 4) if trials is None else trials,
                             timeout=float(table.get("timeout", 20.0)))
        self.known: dict = {}  # result id -> its report, shared by the items of one process


def _project_table(config) -> tuple[dict, Path]:
    """``[tool.iclkd]`` of the project's pyproject.toml and its folder ({} if there is none)."""
    ini = config.inipath
    file = ini if ini is not None and ini.name == "pyproject.toml" else config.rootpath / "pyproject.toml"
    if not file.is_file():
        return {}, config.rootpath
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise pytest.UsageError(f"iclkd: {file}: {exc}") from None
    table = data.get("tool", {}).get("iclkd", {})
    if not isinstance(table.get("results", []), list):
        raise pytest.UsageError(f"iclkd: {file}: [tool.iclkd] results must be a list of paths")
    return table, file.parent


def pytest_configure(config):
    settings = IclkdConfig(config)
    config.stash[_KEY] = settings
    for path in settings.results:
        if not path.is_file() or path.suffix != ".py":
            raise pytest.UsageError(f"iclkd: results module {path} is not an existing .py file")
    if settings.results and not _explicit_paths(config):
        config.args = list(config.args) + [str(p) for p in settings.results
                                           if not any(_inside(p, a) for a in config.args)]


def _explicit_paths(config) -> bool:
    return config.args_source == pytest.Config.ArgsSource.ARGS and not config.getoption("iclkd")


def _inside(path: Path, arg: str) -> bool:
    root = Path(arg.split("::")[0]).resolve()
    return path == root or root in path.parents


_KEY = pytest.StashKey()


def pytest_collect_file(file_path, parent):
    settings = parent.config.stash.get(_KEY, None)
    if settings is not None and file_path.resolve() in settings.results:
        return ResultsFile.from_parent(parent, path=file_path)
    return None


class ResultsFile(pytest.File):
    """A results module: one node per result it defines."""

    def collect(self):
        from .errors import IclkdError
        from .paper import module_paper

        settings = self.config.stash[_KEY]
        try:
            paper = module_paper(str(self.path), requires=settings.requires)
            registry = paper.registry()
        except IclkdError as exc:
            raise self.CollectError(f"iclkd: {exc}") from None
        for result in paper.results:
            yield ResultNode.from_parent(self, name=result.id, result=result, registry=registry)


class ResultNode(pytest.Collector):
    """One result: an item per claim, per numeric check, and for its dependencies."""

    def __init__(self, *, result, registry, **kwargs):
        super().__init__(**kwargs)
        self.result, self.registry = result, registry

    def collect(self):
        from .ci_output import claim_item_name

        names = [claim_item_name(c.name) for c in self.result.claims]
        names += [f"numeric[{n.name}]" for n in self.result.numeric_checks]
        names += ["depends_on"] if self.result.depends_on else []
        for name in names:
            yield ClaimItem.from_parent(self, name=name)


class IclkdFailure(Exception):
    """A claim that is not proved: its message is the whole report (no traceback)."""


class ClaimItem(pytest.Item):
    """One claim (or numeric check, or dependency list) of a result."""

    def runtest(self):
        from .ci_output import items
        from .errors import IclkdError

        node = self.parent
        try:
            report = _report(node.result, node.registry, self.config.stash[_KEY])
        except IclkdError as exc:  # a result that cannot be checked as written
            raise IclkdFailure(f"error: {exc}") from None
        item = next(i for i in items(report, _replay_options(node)) if i.name == self.name)
        if item.ok:
            return
        if item.status in self.config.stash[_KEY].allow:
            pytest.xfail(f"allowed {item.status}: {item.message.splitlines()[0] if item.message else ''}")
        raise IclkdFailure(f"{item.status}: {item.message}")

    def repr_failure(self, excinfo):
        if isinstance(excinfo.value, IclkdFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self):
        source = self._source()
        if source is None:
            return self.path, None, f"{self.parent.name}::{self.name}"
        return Path(source.file), source.line - 1, f"{self.parent.name}::{self.name}"

    def _source(self):
        result = self.parent.result
        for claim in result.claims:
            from .ci_output import claim_item_name
            if claim_item_name(claim.name) == self.name:
                return claim.source
        return result.source


def _report(result, registry, settings: IclkdConfig):
    """The checked report of ``result`` (and of what it depends on), once per process."""
    from .check import CheckSettings, checked_report

    return checked_report(result, registry, CheckSettings(**settings.settings, shrink=True), settings.known)


def _replay_options(node) -> str:
    """The options that point ``iclkd check --replay`` at this results file."""
    import shlex

    path = Path(str(node.path))
    try:
        path = path.relative_to(Path.cwd())
    except ValueError:
        pass
    return f"--file {shlex.quote(str(path))}"
