"""Development sessions: ``nox`` runs lint, typecheck, tests and coverage."""

from __future__ import annotations

import os

import nox

nox.options.sessions = ["lint", "typecheck", "tests", "media", "coverage", "docs"]
nox.options.reuse_venv = "yes"
nox.options.error_on_external_run = True
nox.options.download_python = "never"  # interpreters are never downloaded here

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _install(session: nox.Session, *groups: str) -> None:
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))
    session.install("-e", ".")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (check and format) and the import-layering contracts."""
    _install(session, "lint")
    session.run("ruff", "check", ".")
    packages = ("janus_proto", "janus_anyio", "janus_media", "janus_client")
    session.run("ruff", "format", "--check", *packages, "examples", "tests/examples")
    session.run("lint-imports")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the packages, tests and benchmarks."""
    _install(session, "typing", "test")
    session.run("mypy")


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite (unit, property, conformance and end-to-end) under coverage."""
    _install(session, "test")
    env = {"COVERAGE_FILE": ".coverage"}
    if os.environ.get("CI"):
        env["CI"] = os.environ["CI"]
    session.run("coverage", "erase", env=env)
    # Real media runs in the media session, inside a private network namespace.
    session.run("coverage", "run", "-m", "pytest", "-m", "not media", *session.posargs, env=env)


@nox.session
def tests_no_trio(session: nox.Session) -> None:
    """The suite without trio installed: the asyncio backend alone must work."""
    _install(session, "test")
    session.run("pip", "uninstall", "-y", "trio")
    session.run("pytest", "-m", "not janus and not media", *session.posargs)


@nox.session
def coverage(session: nox.Session) -> None:
    """Combine coverage; janus_proto is gated at 100 % line and branch coverage."""
    session.install("coverage[toml]>=7.6")
    session.run("coverage", "combine")
    session.run("coverage", "report", "--include=janus_proto/*", "--fail-under=100")
    session.run("coverage", "report", "--include=janus_anyio/*")
    session.run("coverage", "report", "--include=janus_media/*")
    session.run("coverage", "report", "--include=janus_client/*")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation (docs/ -> build/docs); any warning fails the build.

    Offline once installed: nothing is fetched at build time (``DOCS_INTERSPHINX=1`` opts
    in to links into other projects' documentation, which needs the network).
    """
    _install(session, "docs")
    session.install("-e", ".[media,testing]")  # autodoc imports janus_media (aiortc)
    args = ["-W", "--keep-going", "-b", "html", "docs", "build/docs"]
    session.run("sphinx-build", *args, *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Fuzz the core's receive path (time-boxed; pass seconds as the first argument)."""
    _install(session, "fuzz")
    seconds = session.posargs[0] if session.posargs else "60"
    session.run("python", "fuzz/receive_message.py", f"-max_total_time={seconds}")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmarks (``nox -s bench -- --smoke`` for tiny sizes)."""
    _install(session, "bench")
    session.install("-e", ".[trio]")  # W1 and W2 also run on trio
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def bench_media(session: nox.Session) -> None:
    """M1: EchoTest media, ours against bare aiortc, inside the private network namespace
    (``nox -s bench_media -- --smoke`` for one short repetition)."""
    _install(session, "bench")
    session.install("-e", ".[media]")  # aiortc
    session.run(
        "bash", "scripts/netns.sh", "python", "benchmarks/media.py", *session.posargs, external=True
    )


@nox.session
def e2e(session: nox.Session) -> None:
    """Only the end-to-end tests against a real Janus."""
    _install(session, "test")
    session.run("pytest", "-m", "janus", *session.posargs)


@nox.session
def demo(session: nox.Session) -> None:
    """The demo (not in the default run): EchoTest and VideoRoom with real media through a
    private Janus, inside the network namespace of scripts/netns.sh (``sudo bash
    scripts/demo.sh`` sets everything up). Arguments go to ``python -m janus_media._demo``.
    """
    session.install("-e", ".[media]")  # before the namespace: pip needs the network
    session.run(
        "bash",
        "scripts/netns.sh",
        "python",
        "-m",
        "janus_media._demo",
        *session.posargs,
        external=True,  # bash; the python it runs is this session's (first on PATH)
    )


@nox.session
def media(session: nox.Session) -> None:
    """Real WebRTC media (aiortc <-> a private Janus) inside a private network namespace.

    Installs first (pip needs the network), then runs the media tests in the namespace of
    scripts/netns.sh, where nothing can leave the machine. Needs root (or unprivileged user
    namespaces) and Janus; under CI=true a test that cannot run fails instead of skipping.
    Measured by coverage too (the coverage session combines it with the tests session's
    data; it costs the media run almost nothing, as aiortc's own code is not traced).
    """
    _install(session, "test")
    session.install("-e", ".[media]")  # aiortc (also in the test group)
    env = {"COVERAGE_FILE": ".coverage"}
    if os.environ.get("CI"):
        env["CI"] = os.environ["CI"]
    session.run(
        "bash",
        "scripts/netns.sh",
        "python",
        "-m",
        "coverage",
        "run",
        "-m",
        "pytest",
        "tests/media",
        "-m",
        "media",
        *session.posargs,
        env=env,
        external=True,  # bash; the python it runs is this session's (first on PATH)
    )
