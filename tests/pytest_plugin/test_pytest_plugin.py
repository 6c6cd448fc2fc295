"""The pytest plugin (``janus_anyio.pytest_plugin``) in inner pytest runs (pytester).

The plugin is loaded with ``-p janus_anyio.pytest_plugin``, and entry-point plugins are
turned off in the inner runs, so that these tests behave the same whether the package (and
its ``pytest11`` entry point) is installed or not.
"""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from janus_anyio.testing import janus_available

pytest_plugins = ["pytester"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
PLUGIN = ("-p", "janus_anyio.pytest_plugin")


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("CI", raising=False)


@pytest.fixture
def needs_janus() -> None:
    if janus_available():
        return
    if IN_CI:
        pytest.fail("Janus is not installed (apt-get install janus); CI needs it")
    pytest.skip("Janus is not installed (apt-get install janus)")


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _pids(path: Path) -> list[int]:
    return [int(line) for line in path.read_text().split()]


INFO = """
import anyio
import janus_anyio as ja


def info(url, **kwargs):
    async def go():
        async with ja.connect(url, reconnect=False, **kwargs) as client:
            return await client.info()

    return anyio.run(go)
"""


@pytest.mark.janus
@pytest.mark.usefixtures("needs_janus")
def test_session_server_with_defaults(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        helpers=INFO,
        test_inner=f"""
        from pathlib import Path
        from helpers import info

        PIDS = Path({str(pytester.path / "pids")!r})


        def test_first(janus_server, janus_url, janus_admin_url):
            assert janus_server.running
            assert janus_url == janus_server.ws_url
            assert janus_admin_url == janus_server.admin_ws_url
            server = info(janus_url)
            assert server.version_string == "1.1.2"
            assert "janus.plugin.echotest" in server.plugins
            PIDS.write_text(str(janus_server.pid))


        def test_second(janus_server):
            assert janus_server.pid == int(PIDS.read_text())  # one per session
        """,
    )
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(passed=2)
    assert _gone(_pids(pytester.path / "pids")[0])  # stopped at the end of the session


@pytest.mark.janus
@pytest.mark.usefixtures("needs_janus")
@pytest.mark.parametrize("transport", ["http", "unix"])
def test_ini_options(pytester: pytest.Pytester, transport: str) -> None:
    pytester.makeini(
        f"""
        [pytest]
        janus_plugins =
            janus.plugin.echotest
        janus_api_secret = plugin-api-secret
        janus_admin_secret = plugin-admin-secret
        janus_session_timeout = 33
        janus_transport = {transport}
        """
    )
    pytester.makepyfile(
        helpers=INFO,
        test_inner=f"""
        from helpers import info


        def test_configured(janus_server, janus_url):
            assert janus_url.startswith({transport + ":"!r})
            server = info(janus_url, api_secret="plugin-api-secret")
            assert list(server.plugins) == ["janus.plugin.echotest"]
            assert server.api_secret is True
            assert server.session_timeout == 33
            assert janus_server.admin_secret == "plugin-admin-secret"
        """,
    )
    pytester.runpytest(*PLUGIN).assert_outcomes(passed=1)


@pytest.mark.janus
@pytest.mark.usefixtures("needs_janus")
def test_config_fixture_override(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import pytest


        @pytest.fixture(scope="session")
        def janus_server_config(janus_server_config):
            return {
                **janus_server_config,
                "plugins": ["janus.plugin.echotest"],
                "token_auth": True,
                "extra_config": {"general": {"server_name": "overridden-by-fixture"}},
            }
        """
    )
    pytester.makepyfile(
        helpers=INFO,
        test_inner="""
        from helpers import info


        def test_overridden(janus_url):
            server = info(janus_url)
            assert server.raw["server-name"] == "overridden-by-fixture"
            assert server.auth_token is True
        """,
    )
    pytester.runpytest(*PLUGIN).assert_outcomes(passed=1)


@pytest.mark.janus
@pytest.mark.usefixtures("needs_janus")
def test_factory_one_server_per_configuration(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_inner=f"""
        from pathlib import Path

        PIDS = Path({str(pytester.path / "pids")!r})


        def test_factory(janus_server_factory):
            echo = janus_server_factory(plugins=["janus.plugin.echotest"])
            assert janus_server_factory(plugins=["janus.plugin.echotest"]) is echo
            secret = janus_server_factory(plugins=["janus.plugin.echotest"], api_secret="s")
            assert secret is not echo
            assert echo.running and secret.running
            assert secret.api_secret == "s" and echo.api_secret is None
            PIDS.write_text(f"{{echo.pid}} {{secret.pid}}")
        """,
    )
    pytester.runpytest(*PLUGIN).assert_outcomes(passed=1)
    pids = _pids(pytester.path / "pids")
    assert len(set(pids)) == 2
    assert all(_gone(pid) for pid in pids)


MISSING = """
[pytest]
janus_binary = janus-not-installed-here
{extra}
"""

USES_SERVER = """
def test_needs_janus(janus_server):
    raise AssertionError("never runs without Janus")


def test_needs_url(janus_url):
    raise AssertionError("never runs without Janus")


def test_without_janus():
    pass
"""


def test_missing_janus_skips_with_the_reason(pytester: pytest.Pytester) -> None:
    pytester.makeini(MISSING.format(extra=""))
    pytester.makepyfile(test_inner=USES_SERVER)
    result = pytester.runpytest(*PLUGIN, "-rs")
    result.assert_outcomes(passed=1, skipped=2)
    result.stdout.fnmatch_lines(["*SKIPPED*Janus is not installed*janus-not-installed-here*"])


@pytest.mark.parametrize("how", ["CI=true", "janus_required"])
def test_missing_janus_fails_in_ci(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "CI=true":
        monkeypatch.setenv("CI", "true")
        pytester.makeini(MISSING.format(extra=""))
    else:
        pytester.makeini(MISSING.format(extra="janus_required = true"))
    pytester.makepyfile(test_inner=USES_SERVER)
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(passed=1, errors=2)
    result.stdout.fnmatch_lines(["*Janus is not installed*"])


@pytest.mark.skipif(not os.path.exists("/bin/false"), reason="needs /bin/false")
def test_janus_that_does_not_start_is_an_error(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        from pathlib import Path

        import pytest

        import janus_anyio.pytest_plugin as plugin

        # /bin/false stands in for Janus (and "/" for its plugin folder, should Janus not
        # be installed here): it exits at once. This inner run's modules are dropped after.
        plugin._lib_dir = lambda: Path("/")


        @pytest.fixture(scope="session")
        def janus_server_config(janus_server_config):
            return {**janus_server_config, "janus_binary": "/bin/false"}
        """
    )
    pytester.makepyfile(test_inner="def test_it(janus_server):\n    pass\n")
    result = pytester.runpytest(*PLUGIN)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*the test Janus did not start*"])


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("janus_transport = carrier-pigeon", "janus_transport must be one of"),
        ("janus_session_timeout = soon", "janus_session_timeout must be an integer"),
    ],
)
def test_bad_ini_values_are_usage_errors(
    pytester: pytest.Pytester, line: str, message: str
) -> None:
    pytester.makeini(f"[pytest]\n{line}\n")
    pytester.makepyfile(test_inner="def test_it():\n    pass\n")
    result = pytester.runpytest(*PLUGIN)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*"])


def test_fixtures_are_documented(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest(*PLUGIN, "--fixtures")
    assert result.ret == 0
    text = textwrap.dedent(result.stdout.str())
    for name in (
        "janus_server",
        "janus_url",
        "janus_admin_url",
        "janus_server_config",
        "janus_server_factory",
    ):
        assert f"{name} [session scope]" in text
